// One bench socket per server kind, all with the same face: { member, tracker, sendChat(n), cork(), uncork(), close() }.
// banter and the ws baseline use `ws` (cheaper than socket.io-client); Socket.IO uses socket.io-client.
import WebSocket from 'ws'
import { io } from 'socket.io-client'
import { Tracker, clientIdFor, runStats, nowMicros } from './tracker.mjs'

const CHAT = '{"type":"chat"'
const CLIENT_ID_KEY = '"clientId":"'
const CONTROL = ['{"type":"welcome"', '{"type":"joined"']

/** Counts sockets that closed while the bench still needed them: a crash or a refusal, never a figure. */
export const closes = { unexpected: 0 }

/** Opens one socket and (when `room` is set) joins it; resolves once the server said `joined`. */
export function openSocket(server, spec) {
  return server.kind === 'socketio' ? openSocketIo(server, spec) : openNdjson(server, spec)
}

/** banter and the ws baseline: frames hold one or more `\n`-separated events (banter batches them). */
function openNdjson(server, { room, member, senders, text, cookie, name }) {
  const base = `ws://127.0.0.1:${server.port}/_ws`
  const url = server.kind === 'banter' ? base : `${base}?name=${encodeURIComponent(name)}`
  const headers = server.kind === 'banter' ? { cookie, origin: `http://127.0.0.1:${server.port}` } : {}
  const socket = new WebSocket(url, { headers, perMessageDeflate: false })
  const tracker = new Tracker(senders)
  tracker.member = member
  const prefix = `{"type":"chat","room":"${room}","text":"${text}","clientId":"`
  let control = null
  socket.on('message', (data) => {
    // No JSON.parse per event: find chat lines and read their clientId (the last key) from the end.
    const frame = data.toString('latin1')
    const length = frame.length
    let start = 0
    while (start < length) {
      let end = frame.indexOf('\n', start)
      if (end === -1) end = length
      if (frame.startsWith(CHAT, start)) {
        const from = frame.lastIndexOf(CLIENT_ID_KEY, end) + CLIENT_ID_KEY.length
        tracker.record(frame.slice(from, frame.indexOf('"', from)))
      }
      else if (control && CONTROL.some(type => frame.startsWith(type, start))) control(frame.slice(start, end))
      start = end + 1
    }
    runStats.lastAt = nowMicros()
  })
  return new Promise((resolve, reject) => {
    const client = {
      member,
      tracker,
      sendChat: n => socket.send(`${prefix}${clientIdFor(member, n)}"}`),
      cork: () => socket._socket?.cork(),
      uncork: () => socket._socket?.uncork(),
      close: () => socket.terminate(),
    }
    control = (line) => {
      if (line.startsWith(CONTROL[0]) && room) socket.send(JSON.stringify({ type: 'join', room }))
      else {
        control = null
        resolve(client)
      }
    }
    socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: HTTP ${response.statusCode}`)))
    socket.once('error', reject)
    socket.on('close', () => {
      if (!client.closing) closes.unexpected++
    })
    const close = client.close
    client.close = () => {
      client.closing = true
      close()
    }
    if (!room) control = () => {
      control = null
      resolve(client)
    }
  })
}

function openSocketIo(server, { room, member, senders, text, name }) {
  const socket = io(`http://127.0.0.1:${server.port}`, { transports: ['websocket'], forceNew: true, reconnection: false, query: { name } })
  const tracker = new Tracker(senders)
  tracker.member = member
  socket.on('chat', message => tracker.record(message.clientId))
  socket.on('chat', () => (runStats.lastAt = nowMicros()))
  return new Promise((resolve, reject) => {
    const client = {
      member,
      tracker,
      sendChat: n => socket.emit('chat', { room, text, clientId: clientIdFor(member, n) }),
      cork: () => {},
      uncork: () => {},
      close: () => {
        client.closing = true
        socket.disconnect()
      },
    }
    socket.once('connect_error', reject)
    socket.once('welcome', () => (room ? socket.emit('join', room) : resolve(client)))
    socket.once('joined', () => resolve(client))
    socket.on('disconnect', () => {
      if (!client.closing) closes.unexpected++
    })
  })
}
