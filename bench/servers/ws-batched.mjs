// The ceiling of one Node core for this workload: a `ws` server speaking banter's event shapes with no storage,
// where each event-loop turn's frames are joined per recipient (`\n`-separated, as banter's frames are) and
// written with one `send`. Env: PORT, HOST.
import { createServer } from 'node:http'
import { randomUUID } from 'node:crypto'
import { WebSocketServer } from 'ws'

const rooms = new Map() // room name -> { seq, members: Set<WebSocket> }
let nextId = 1
/** socket -> the lines it gets at the end of this turn */
const outbox = new Map()

const queue = (socket, line) => {
  if (outbox.size === 0) setImmediate(flush)
  const lines = outbox.get(socket)
  if (lines) lines.push(line)
  else outbox.set(socket, [line])
}
const flush = () => {
  for (const [socket, lines] of outbox) if (socket.readyState === socket.OPEN) socket.send(lines.join('\n'))
  outbox.clear()
}

const http = createServer((request, response) => {
  response.writeHead(request.url === '/health' ? 200 : 404, { 'content-type': 'application/json' })
  response.end('{"status":"ok"}')
})
const wss = new WebSocketServer({ server: http, path: '/_ws', perMessageDeflate: false, maxPayload: 64 * 1024 })

wss.on('connection', (socket, request) => {
  const name = new URL(request.url, 'http://x').searchParams.get('name') ?? 'anon'
  const user = { id: randomUUID(), name }
  const joined = new Set()
  socket.send(JSON.stringify({ type: 'welcome', user, version: 1 }))
  socket.on('message', (data) => {
    const event = JSON.parse(data.toString())
    if (event.type === 'join') {
      const room = roomNamed(event.room)
      room.members.add(socket)
      joined.add(room)
      socket.send(JSON.stringify({ type: 'joined', room: event.room, lastSeq: room.seq }))
    }
    else if (event.type === 'chat') {
      const room = rooms.get(event.room)
      if (!room || !joined.has(room)) return
      const message = { room: event.room, id: String(nextId++), seq: ++room.seq, user, text: event.text, ts: Date.now(), clientId: event.clientId }
      const line = JSON.stringify({ type: 'chat', ...message })
      for (const member of room.members) queue(member, line)
      queue(socket, JSON.stringify({ type: 'ack', clientId: message.clientId, id: message.id, seq: message.seq, ts: message.ts }))
    }
  })
  socket.on('close', () => {
    for (const room of joined) room.members.delete(socket)
    outbox.delete(socket)
  })
})

function roomNamed(name) {
  let room = rooms.get(name)
  if (!room) rooms.set(name, (room = { seq: 0, members: new Set() }))
  return room
}

process.on('SIGTERM', () => process.exit(0))
http.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')
