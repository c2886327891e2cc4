// A load process: the orchestrator (bench/run.mjs) forks it pinned to the client core and drives it over IPC.
// Commands: setup (open and join sockets), run (send), drain (wait for every delivery, report), stop.
import { openSocket, closes } from './clients.mjs'
import { ensureRoom, signIn } from './banter-session.mjs'
import { driveBroadcasts, driveBursts, driveRate } from './drive.mjs'
import { resetRunStats, runStats, nowMicros } from './tracker.mjs'

const WORKER = process.env.BENCH_WORKER_ID ?? '0'
const CONNECT_CONCURRENCY = 200
const SIGN_IN_CONCURRENCY = 16
const clients = []
let cpuAtRun = null
let wallAtRun = 0
let firstSendAt = 0

const handlers = {
  async setup({ server, sockets, perUser, tag, text, sentSoFar = {} }) {
    const started = performance.now()
    const nonce = Math.random().toString(36).slice(2, 6)
    const names = sockets.map((_, i) => `${tag}${nonce}w${WORKER}u${Math.floor(i / perUser)}`.slice(0, 32))
    const cookies = new Map()
    const { kind, ports } = server
    // Instances share their storage: a session or room made on one is good on every one.
    if (kind === 'banter') {
      const unique = [...new Set(names)]
      await pool(unique, SIGN_IN_CONCURRENCY, async name => cookies.set(name, await signIn(ports[0], name)))
      const rooms = [...new Set(sockets.map(spec => spec.room).filter(Boolean))]
      for (const room of rooms) await ensureRoom(ports[0], cookies.get(names[0]), room)
    }
    const opened = await pool(sockets.map((spec, i) => ({ ...spec, text, name: names[i], cookie: cookies.get(names[i]) })), CONNECT_CONCURRENCY,
      spec => openSocket({ kind, port: ports[spec.member % ports.length] }, spec))
    opened.forEach((client, i) => {
      client.sent = 0
      client.roomKey = sockets[i].room
      // A socket that joins late was not there for earlier messages: expect each sender's next one.
      client.tracker.expected.set((sentSoFar[client.roomKey] ?? []).slice(0, client.tracker.expected.length).map(count => count ?? 0))
      clients.push(client)
    })
    return { count: clients.length, ms: Math.round(performance.now() - started) }
  },

  async run({ mode, durationMs = 0, burst, perSecond, count, gapMs, recordLatency, warmupMs = 0 }) {
    const senders = clients.filter(client => client.member < client.tracker.expected.length)
    const start = performance.now()
    resetRunStats(recordLatency, nowMicros() + warmupMs * 1000)
    cpuAtRun = process.cpuUsage()
    wallAtRun = start
    firstSendAt = nowMicros()
    await withTimeout(new Promise((resolve) => {
      if (mode === 'burst') driveBursts(senders, burst, start + durationMs, resolve)
      else if (mode === 'rate') driveRate(senders, perSecond, start + durationMs, resolve)
      else driveBroadcasts(senders, count, gapMs, resolve)
    }), durationMs + (count ?? 0) * (gapMs ?? 0) + 15_000)
    return { sent: senders.map(client => [client.roomKey, client.member, client.sent]), firstSendAt }
  },

  /** Waits until every socket heard every message its room's senders sent (`sent`: roomKey -> member -> count). */
  async drain({ sent, timeoutMs }) {
    const deadline = performance.now() + timeoutMs
    const missingNow = () => clients.reduce((sum, client) => sum + client.tracker.missing(sent[client.roomKey] ?? []), 0)
    let missing = missingNow()
    while (missing > 0 && performance.now() < deadline && closes.unexpected === 0) {
      await new Promise(resolve => setTimeout(resolve, 20))
      missing = missingNow()
    }
    const cpu = process.cpuUsage(cpuAtRun)
    return {
      delivered: runStats.delivered,
      dups: runStats.dups,
      gaps: runStats.gaps,
      missing,
      unexpectedCloses: closes.unexpected,
      lastAt: runStats.lastAt,
      firstSendAt,
      latencies: runStats.latencies,
      cpuMs: (cpu.user + cpu.system) / 1000,
      wallMs: performance.now() - wallAtRun,
    }
  },

  async stop() {
    for (const client of clients) client.close()
    setTimeout(() => process.exit(0), 50)
    return {}
  },
}

process.on('message', async ({ id, command, args }) => {
  try {
    process.send({ id, ok: true, result: await handlers[command](args) })
  }
  catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) })
  }
})
process.on('disconnect', () => process.exit(0))

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
async function pool(items, limit, task) {
  const results = new Array(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await task(items[i])
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
  return results
}

function withTimeout(promise, ms) {
  return Promise.race([promise, new Promise(resolve => setTimeout(resolve, ms))])
}
