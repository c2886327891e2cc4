// Load processes on the client core. One process may open at most 20,000 files, so connections are spread
// over several processes of at most `maxPerLoader` sockets each.
import { spawn } from 'node:child_process'
import { pinned } from './cores.mjs'

const WORKER_ENTRY = 'bench/load/worker.mjs'

/** Forks one load process and returns `{ call(command, args), socketCount, stop() }`. */
export function startLoader(id) {
  const [command, args] = pinned(1, process.execPath, ['--max-old-space-size=4096', WORKER_ENTRY])
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, BENCH_WORKER_ID: String(id) } })
  const waiting = new Map()
  let nextId = 0
  child.on('message', ({ id: callId, ok, result, error }) => {
    const pending = waiting.get(callId)
    waiting.delete(callId)
    if (ok) pending.resolve(result)
    else pending.reject(new Error(`load process ${id}: ${error}`))
  })
  child.on('exit', (code) => {
    for (const pending of waiting.values()) pending.reject(new Error(`load process ${id} exited with ${code}`))
    waiting.clear()
  })
  return {
    socketCount: 0,
    call(name, callArgs = {}) {
      return new Promise((resolve, reject) => {
        const callId = nextId++
        waiting.set(callId, { resolve, reject })
        child.send({ id: callId, command: name, args: callArgs })
      })
    },
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise(resolve => child.once('exit', resolve))
      await this.call('stop').catch(() => {})
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    },
  }
}

/** A growing set of load processes that together hold the bench's sockets. */
export class LoadFleet {
  constructor(maxPerLoader) {
    this.maxPerLoader = maxPerLoader
    this.loaders = []
    /** room -> per-member count of messages sent so far, so sockets that join later expect the right next one. */
    this.sent = {}
  }

  /**
   * Opens `sockets` (specs: room, member, senders; member m on instance m mod instances, so a room's members are
   * split between them), filling the emptiest process first and adding processes as needed.
   */
  async open(server, sockets, { perUser, tag, text }) {
    const batches = new Map()
    for (const spec of sockets) {
      let loader = this.loaders.find(candidate => candidate.socketCount < this.maxPerLoader)
      if (!loader) this.loaders.push((loader = startLoader(this.loaders.length)))
      loader.socketCount++
      if (!batches.has(loader)) batches.set(loader, [])
      batches.get(loader).push(spec)
    }
    await Promise.all([...batches].map(([loader, specs]) => loader.call('setup', { server: { kind: server.client, ports: server.ports }, sockets: specs, perUser, tag, text, sentSoFar: this.sent })))
  }

  /** Runs one sending phase everywhere, then waits until every socket got every message; returns merged stats. */
  async runAndDrain(runArgs, drainTimeoutMs) {
    const runs = await Promise.all(this.loaders.map(loader => loader.call('run', runArgs)))
    const sent = this.sent
    let totalSent = 0
    for (const { sent: entries } of runs) {
      for (const [room, member, count] of entries) {
        ;(sent[room] ??= [])[member] = count
        totalSent += count
      }
    }
    const drains = await Promise.all(this.loaders.map(loader => loader.call('drain', { sent, timeoutMs: drainTimeoutMs })))
    return mergeDrains(drains, totalSent)
  }

  async stop() {
    await Promise.all(this.loaders.map(loader => loader.stop()))
    this.loaders = []
  }
}

function mergeDrains(drains, totalSent) {
  const sum = key => drains.reduce((total, drain) => total + drain[key], 0)
  const latencies = drains.some(drain => drain.latencies) ? drains.flatMap(drain => drain.latencies ?? []) : null
  return {
    totalSent,
    delivered: sum('delivered'),
    dups: sum('dups'),
    gaps: sum('gaps'),
    missing: sum('missing'),
    unexpectedCloses: sum('unexpectedCloses'),
    firstSendAt: Math.min(...drains.map(drain => drain.firstSendAt)),
    lastAt: Math.max(...drains.map(drain => drain.lastAt)),
    latencies,
    loadCpu: drains.map(drain => drain.cpuMs / drain.wallMs),
  }
}
