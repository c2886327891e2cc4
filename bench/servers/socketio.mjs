// Baseline: Socket.IO 4.8, websocket transport only, rooms and `io.to(room).emit`.
// Same events as banter (welcome, joined, chat, ack), each a Socket.IO event. Env: PORT, HOST; with
// BENCH_REDIS_URL and BENCH_REDIS_PREFIX, on `@socket.io/redis-adapter` (Socket.IO's way to several instances:
// every broadcast is also published to Redis; nothing is stored, so a missed message cannot be recovered).
import { createServer } from 'node:http'
import { randomUUID } from 'node:crypto'
import { Server } from 'socket.io'
import { createAdapter } from '@socket.io/redis-adapter'
import Redis from 'ioredis'

const seqs = new Map() // room name -> last seq
let nextId = 1

const http = createServer((request, response) => {
  if (request.url !== '/health') return // Socket.IO answers its own paths
  response.writeHead(200, { 'content-type': 'application/json' })
  response.end('{"status":"ok"}')
})
// A long pingTimeout so a busy load client is not dropped mid-run; it does not change the fan-out path.
const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, serveClient: false, pingTimeout: 60_000 })
if (process.env.BENCH_REDIS_URL) {
  const pub = new Redis(process.env.BENCH_REDIS_URL)
  io.adapter(createAdapter(pub, pub.duplicate(), { key: process.env.BENCH_REDIS_PREFIX }))
}

io.on('connection', (socket) => {
  const user = { id: randomUUID(), name: String(socket.handshake.query.name ?? 'anon') }
  socket.emit('welcome', { user, version: 1 })
  socket.on('join', (room) => {
    socket.join(room)
    if (!seqs.has(room)) seqs.set(room, 0)
    socket.emit('joined', { room, lastSeq: seqs.get(room) })
  })
  socket.on('chat', (event) => {
    if (!socket.rooms.has(event.room)) return
    const seq = seqs.get(event.room) + 1
    seqs.set(event.room, seq)
    const message = { room: event.room, id: String(nextId++), seq, user, text: event.text, ts: Date.now(), clientId: event.clientId }
    io.to(event.room).emit('chat', message)
    socket.emit('ack', { clientId: message.clientId, id: message.id, seq, ts: message.ts })
  })
})

process.on('SIGTERM', () => process.exit(0))
http.listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1')
