// (d) The most connections one server process holds while a broadcast's p99 stays under the limit: all sockets
// join one room, then one member sends a few broadcasts; the count steps up until a step fails.
import { LoadFleet } from '../lib/loaders.mjs'
import { failureOf, latencySummary, loadCpuText } from '../lib/stats.mjs'

export async function connections(server, options) {
  const room = `bench-c-${Math.random().toString(36).slice(2, 8)}`
  const steps = []
  const fleet = new LoadFleet(options.maxPerLoader)
  let open = 0
  try {
    for (const count of options.connectionSteps) {
      const step = { connections: count }
      steps.push(step)
      try {
        const opened = performance.now()
        const sockets = Array.from({ length: count - open }, (_, i) => ({ room, member: open + i, senders: 1 }))
        await fleet.open(server, sockets, { perUser: options.connPerUser, tag: `c${count}`, text: options.text })
        open = count
        step.connectSeconds = Number(((performance.now() - opened) / 1000).toFixed(1))
        const result = await fleet.runAndDrain({ mode: 'broadcast', count: options.broadcasts, gapMs: options.broadcastGapMs, recordLatency: true }, 20_000)
        Object.assign(step, latencySummary(result.latencies), { loadCpu: loadCpuText(result.loadCpu), failure: failureOf(result, server) })
      }
      catch (error) {
        step.failure = String(error.message ?? error).split('\n')[0]
      }
      step.ok = !step.failure && step.p99 < options.p99LimitMs
      if (!step.ok) break
    }
  }
  finally {
    await fleet.stop()
  }
  const passed = steps.filter(step => step.ok)
  return { maxConnections: passed.at(-1)?.connections ?? 0, p99LimitMs: options.p99LimitMs, steps }
}
