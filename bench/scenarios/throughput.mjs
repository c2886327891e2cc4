// (a) Throughput: one room of N members, every member sends bursts (the next once it hears its own last
// message), everyone receives everything. Figure: delivered messages per second, every delivery checked.
import { LoadFleet } from '../lib/loaders.mjs'
import { serverCpuMs } from '../lib/servers.mjs'
import { failureOf, loadCpuText } from '../lib/stats.mjs'

export async function throughput(server, options) {
  const cells = []
  for (const size of options.rooms) {
    const room = `bench-t${size}-${Math.random().toString(36).slice(2, 8)}`
    const burst = options.burst ?? Math.max(2, Math.round(256 / size))
    const fleet = new LoadFleet(options.maxPerLoader)
    try {
      const sockets = Array.from({ length: size }, (_, member) => ({ room, member, senders: size }))
      await fleet.open(server, sockets, { perUser: 1, tag: `t${size}`, text: options.text })
      const serverCpuBefore = serverCpuMs(server)
      const wallBefore = performance.now()
      const result = await fleet.runAndDrain({ mode: 'burst', durationMs: options.durationMs, burst }, 15_000)
      const serverCpu = (serverCpuMs(server) - serverCpuBefore) / (performance.now() - wallBefore)
      const seconds = (result.lastAt - result.firstSendAt) / 1e6
      const failure = failureOf(result, server)
      cells.push({
        room: size,
        burst,
        perSecond: failure ? null : Math.round(result.delivered / seconds),
        // What one fully busy core would deliver at this cost: comparable across runs on a shared machine.
        perCoreSecond: failure || serverCpu === 0 ? null : Math.round(result.delivered / seconds / serverCpu),
        delivered: result.delivered,
        sent: result.totalSent,
        seconds: Number(seconds.toFixed(2)),
        failure,
        serverCpu: `${Math.round(serverCpu * 100)}%`,
        loadCpu: loadCpuText(result.loadCpu),
      })
    }
    catch (error) {
      cells.push({ room: size, perSecond: null, failure: String(error.message ?? error) })
    }
    finally {
      await fleet.stop()
    }
  }
  return cells
}
