// Turns a run's results into the markdown tables printed to stdout (figures, ratios, then CPU shares).
import { SERVER_LABELS } from './servers.mjs'
import { marginalKib } from '../scenarios/memory.mjs'

const fmt = (value, digits = 0) => value == null ? '–' : Number(value).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
/** The ratios the README's targets are stated in, each shown when both of its servers ran. */
const RATIOS = [['banter', 'ws'], ['banter', 'socketio'], ['banter', 'ws-batched'], ['banter-pg', 'banter'], ['banter-pg', 'socketio-redis'], ['banter-pg2', 'banter-pg']]

const ratio = (a, b) => (a == null || b == null || b === 0 ? '–' : `${(a / b).toFixed(2)}×`)

/** One row per figure: [label, unit, digits, (serverResults) => { value, failure }]. */
function figureRows(options) {
  const rows = []
  for (const room of options.rooms) {
    rows.push([`throughput, room of ${room}`, 'deliveries/s ↑', 0, r => pick(r.throughput, cell => cell.room === room, 'perSecond')])
  }
  for (const room of options.rooms) {
    rows.push([`throughput per busy server core, room of ${room}`, 'deliveries/core-s ↑', 0, r => pick(r.throughput, cell => cell.room === room, 'perCoreSecond')])
  }
  for (const rate of options.rates) {
    for (const [key, name] of [['p50', 'p50'], ['p99', 'p99'], ['p999', 'p99.9']]) {
      rows.push([`latency at ${fmt(rate)}/s, room of ${options.latencyRoom}`, `${name} ms ↓`, 2, r => pick(r.latency, cell => cell.rate === rate, key)])
    }
  }
  for (const count of options.memoryCounts) {
    rows.push([`idle memory, ${fmt(count)} connections`, 'KiB/conn ↓', 2, r => pick(r.memory, cell => cell.connections === count, 'kibPerConnection')])
  }
  if (options.memoryCounts.length >= 2) {
    const [first, last] = [options.memoryCounts[0], options.memoryCounts.at(-1)]
    rows.push([`idle memory per added connection, ${fmt(first)} → ${fmt(last)}`, 'KiB/conn ↓', 2, (r) => {
      if (!r.memory) return undefined
      const value = marginalKib(r.memory)
      return { value, failure: value === undefined ? 'a step failed' : null }
    }])
  }
  rows.push([`connections with broadcast p99 < ${options.p99LimitMs} ms`, 'connections ↑', 0, r => (r.connections ? { value: r.connections.maxConnections, failure: null } : undefined)])
  return rows
}

function pick(cells, match, key) {
  const cell = cells?.find(match)
  return cell ? { value: cell[key], failure: cell.failure } : undefined
}

export function markdownReport(options, results) {
  const servers = options.servers
  const ratios = RATIOS.filter(pair => pair.every(server => servers.includes(server)))
  const header = ['figure', 'unit', ...servers.map(server => SERVER_LABELS[server]), ...ratios.map(([a, b]) => `${SERVER_LABELS[a]}/${SERVER_LABELS[b]}`)]
  const lines = [row(header), row(header.map(() => '---'))]
  for (const [label, unit, digits, get] of figureRows(options)) {
    const cells = servers.map(server => get(results[server] ?? {}))
    if (cells.every(cell => cell === undefined)) continue
    const shown = cells.map(cell => (cell === undefined ? '–' : cell.failure ? `FAIL: ${cell.failure}` : fmt(cell.value, digits)))
    const valueOf = (server) => {
      const cell = cells[servers.indexOf(server)]
      return cell?.failure ? null : cell?.value
    }
    lines.push(row([label, unit, ...shown, ...ratios.map(([a, b]) => ratio(valueOf(a), valueOf(b)))]))
  }
  return `${lines.join('\n')}\n\n${cpuTable(options, results)}\n${connectionSteps(options, results)}`
}

/** Who was busy: a server at ~100% was the limit; a load process near 100% means the figure is the client's. */
function cpuTable(options, results) {
  const lines = [row(['run', ...options.servers.map(server => `${SERVER_LABELS[server]} server / load CPU`)]), row(['---', ...options.servers.map(() => '---')])]
  const runs = [
    ...options.rooms.map(room => [`throughput, room of ${room}`, r => r.throughput?.find(cell => cell.room === room)]),
    ...options.rates.map(rate => [`latency at ${fmt(rate)}/s`, r => r.latency?.find(cell => cell.rate === rate)]),
  ]
  for (const [label, get] of runs) {
    const cells = options.servers.map(server => get(results[server] ?? {}))
    if (cells.every(cell => !cell?.serverCpu)) continue
    lines.push(row([label, ...cells.map(cell => (cell?.serverCpu ? `${cell.serverCpu} / ${cell.loadCpu}` : '–'))]))
  }
  return lines.length > 2 ? `CPU share of one core (server pinned to core 0, load clients to core 1):\n\n${lines.join('\n')}\n` : ''
}

function connectionSteps(options, results) {
  const parts = options.servers.filter(server => results[server]?.connections).map((server) => {
    const steps = results[server].connections.steps.map(step => `${fmt(step.connections)}: ${step.failure ? `FAIL (${step.failure})` : `p99 ${fmt(step.p99, 1)} ms`}`)
    return `- ${SERVER_LABELS[server]}: ${steps.join('; ')}`
  })
  return parts.length ? `Connection steps (broadcast latency per step):\n\n${parts.join('\n')}\n` : ''
}

const row = cells => `| ${cells.join(' | ')} |`
