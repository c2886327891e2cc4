// (c) Idle memory per connection: server RSS (VmRSS, after it settles) with n idle connections, minus its
// RSS before the first one, divided by n. banter's sockets are signed in, `perUser` sockets per user.
import { LoadFleet } from '../lib/loaders.mjs'
import { settledRss } from '../lib/servers.mjs'

export async function memory(server, options) {
  const cells = []
  const fleet = new LoadFleet(options.maxPerLoader)
  try {
    const baseline = await settledRss(server.pid)
    let open = 0
    for (const count of options.memoryCounts) {
      try {
        const sockets = Array.from({ length: count - open }, () => ({ room: null, member: 0, senders: 0 }))
        await fleet.open(server, sockets, { perUser: options.perUser, tag: `m${count}`, text: options.text })
        open = count
        const rss = await settledRss(server.pid)
        cells.push({ connections: count, kibPerConnection: Number(((rss - baseline) / count / 1024).toFixed(2)), rssBytes: rss, rssMiB: Number((rss / 2 ** 20).toFixed(1)), baselineMiB: Number((baseline / 2 ** 20).toFixed(1)), failure: server.crashed() ? 'server crashed' : null })
      }
      catch (error) {
        cells.push({ connections: count, kibPerConnection: null, failure: String(error.message ?? error) })
        break
      }
    }
  }
  finally {
    await fleet.stop()
  }
  return cells
}

/**
 * What each connection beyond the first step costs: the RSS growth between the first and the last step over
 * the connections added. It leaves out the fixed costs (young generation, code) that dominate the first step.
 */
export function marginalKib(cells) {
  const measured = cells.filter(cell => !cell.failure && cell.rssBytes)
  if (measured.length < 2 || measured.length < cells.length) return undefined
  const first = measured[0]
  const last = measured.at(-1)
  return Number(((last.rssBytes - first.rssBytes) / (last.connections - first.connections) / 1024).toFixed(2))
}
