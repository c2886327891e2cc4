// (b) Latency at a fixed delivery rate in a room of N: members send in turn at rate / N messages per second;
// the send time rides in the clientId. Figures: p50, p99, p99.9 in ms after a warm-up.
import { LoadFleet } from '../lib/loaders.mjs'
import { serverCpuMs } from '../lib/servers.mjs'
import { failureOf, latencySummary, loadCpuText } from '../lib/stats.mjs'

export async function latency(server, options) {
  const size = options.latencyRoom
  const cells = []
  for (const rate of options.rates) {
    const room = `bench-l${rate}-${Math.random().toString(36).slice(2, 8)}`
    const fleet = new LoadFleet(options.maxPerLoader)
    try {
      const sockets = Array.from({ length: size }, (_, member) => ({ room, member, senders: size }))
      await fleet.open(server, sockets, { perUser: 1, tag: `l${size}`, text: options.text })
      const serverCpuBefore = serverCpuMs(server)
      const wallBefore = performance.now()
      const result = await fleet.runAndDrain({ mode: 'rate', perSecond: rate / size, durationMs: options.durationMs + options.warmupMs, warmupMs: options.warmupMs, recordLatency: true }, 15_000)
      const serverCpu = (serverCpuMs(server) - serverCpuBefore) / (performance.now() - wallBefore)
      const failure = failureOf(result, server)
      const summary = latencySummary(result.latencies)
      cells.push({
        rate,
        room: size,
        ...(failure ? { p50: null, p99: null, p999: null, samples: summary.samples } : summary),
        achieved: Math.round(result.delivered / ((result.lastAt - result.firstSendAt) / 1e6)),
        failure,
        serverCpu: `${Math.round(serverCpu * 100)}%`,
        loadCpu: loadCpuText(result.loadCpu),
      })
    }
    catch (error) {
      cells.push({ rate, room: size, p50: null, p99: null, p999: null, failure: String(error.message ?? error) })
    }
    finally {
      await fleet.stop()
    }
  }
  return cells
}
