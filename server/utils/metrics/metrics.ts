import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client'

/**
 * banter's Prometheus metrics. The hot path only adds to plain numbers, read by the registry when /metrics is
 * scraped, as is everything that costs (backend round trips, socket counts): a prom-client histogram observation
 * with the instance label cost about 2 µs per message here, so storage time is a sum beside the count.
 */
const counts = {
  joins: 0,
  stored: 0,
  storedSeconds: 0,
  delivered: 0,
  refusals: { 'socket-frames': 0, 'messages': 0, 'requests': 0, 'sign-ins': 0 },
  closes: new Map<number, number>(),
}

type RefusalScope = keyof typeof counts.refusals

/** What the chat code counts. */
export const chatMetrics = {
  joined: () => void counts.joins++,
  stored: (seconds: number) => {
    counts.stored++
    counts.storedSeconds += seconds
  },
  delivered: (recipients: number) => void (counts.delivered += recipients),
  refused: (scope: RefusalScope) => void counts.refusals[scope]++,
  closed: (code: number) => void counts.closes.set(code, (counts.closes.get(code) ?? 0) + 1),
}

/** What a scrape reads from the running instance. */
export interface ScrapeSources {
  socketsOpen: () => number
  uploadsInFlight: () => number
  backends: () => Promise<Record<'storage' | 'bus', { reachable: boolean, latencyMs: number }>>
}

const registry = new Registry()
let enabled = false

/** A counter whose value is read from `read` at scrape time. */
function countFrom(name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset()
      this.inc(read())
    },
  })
}

/**
 * Registers every metric, Node's own (event-loop lag, heap, CPU) included, labelled with this instance: only
 * when NUXT_METRICS_TOKEN is set, so an instance without metrics pays nothing for them.
 */
export function enableMetrics(instance: string, sources: ScrapeSources): void {
  if (enabled) return
  enabled = true
  registry.setDefaultLabels({ banter_instance: instance })
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 })
  countFrom('banter_joins_total', 'Room joins accepted on this instance', () => counts.joins)
  countFrom('banter_messages_stored_total', 'Chat messages stored (sent through this instance)', () => counts.stored)
  countFrom('banter_storage_append_seconds_total', 'Time spent storing chat messages; divide by banter_messages_stored_total for the mean', () => counts.storedSeconds)
  countFrom('banter_messages_delivered_total', 'Chat messages handed to sockets on this instance, one per recipient socket', () => counts.delivered)
  new Counter({
    name: 'banter_rate_limit_refusals_total',
    help: 'Events and requests refused by a rate limit',
    labelNames: ['scope'],
    registers: [registry],
    collect() {
      this.reset()
      for (const [scope, value] of Object.entries(counts.refusals)) this.labels(scope).inc(value)
    },
  })
  new Counter({
    name: 'banter_socket_closes_total',
    help: 'WebSocket closes by close code',
    labelNames: ['code'],
    registers: [registry],
    collect() {
      this.reset()
      for (const [code, value] of counts.closes) this.labels(String(code)).inc(value)
    },
  })
  new Gauge({
    name: 'banter_sockets_open',
    help: 'WebSockets open on this instance',
    registers: [registry],
    collect() {
      this.set(sources.socketsOpen())
    },
  })
  new Gauge({
    name: 'banter_uploads_in_flight',
    help: 'Uploads being read on this instance (each held in memory until stored; capped by NUXT_LIMITS_UPLOADS_IN_FLIGHT)',
    registers: [registry],
    collect() {
      this.set(sources.uploadsInFlight())
    },
  })
  const up = new Gauge({ name: 'banter_backend_up', help: '1 when the backend answered its check', labelNames: ['backend'], registers: [registry] })
  const latency = new Gauge({ name: 'banter_backend_check_seconds', help: 'Round trip of the backend check (storage, bus)', labelNames: ['backend'], registers: [registry] })
  scrapeBackends = async () => {
    for (const [backend, state] of Object.entries(await sources.backends())) {
      up.labels(backend).set(state.reachable ? 1 : 0)
      latency.labels(backend).set(state.latencyMs / 1000)
    }
  }
}

let scrapeBackends: (() => Promise<void>) | null = null

/** The Prometheus text exposition of every metric. */
export async function renderMetrics(): Promise<{ contentType: string, body: string }> {
  await scrapeBackends?.()
  return { contentType: registry.contentType, body: await registry.metrics() }
}
