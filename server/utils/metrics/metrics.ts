import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

/**
 * banter's Prometheus metrics. The hot path only increments counters (pre-labelled where it can); anything
 * that costs (backend round trips, socket counts) is read when /metrics is scraped.
 */
const registry = new Registry()

const joins = new Counter({ name: 'banter_joins_total', help: 'Room joins accepted on this instance', registers: [registry] })
const messagesStored = new Counter({ name: 'banter_messages_stored_total', help: 'Chat messages stored (sent from this instance)', registers: [registry] })
const messagesDelivered = new Counter({ name: 'banter_messages_delivered_total', help: 'Chat messages handed to sockets on this instance (one per recipient socket)', registers: [registry] })
const rateLimitRefusals = new Counter({ name: 'banter_rate_limit_refusals_total', help: 'Events and requests refused by a rate limit', labelNames: ['scope'], registers: [registry] })
const socketCloses = new Counter({ name: 'banter_socket_closes_total', help: 'WebSocket closes by close code', labelNames: ['code'], registers: [registry] })
const storageWrite = new Histogram({
  name: 'banter_storage_append_seconds',
  help: 'Time to store one chat message',
  buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  registers: [registry],
})

/** Counters the chat code increments. */
export const chatMetrics = {
  joined: () => joins.inc(),
  stored: (seconds: number) => {
    messagesStored.inc()
    storageWrite.observe(seconds)
  },
  delivered: (recipients: number) => messagesDelivered.inc(recipients),
  socketRefused: rateLimitRefusals.labels('socket-frames'),
  messageRefused: rateLimitRefusals.labels('messages'),
  requestRefused: rateLimitRefusals.labels('requests'),
  signInRefused: rateLimitRefusals.labels('sign-ins'),
  closed: (code: number) => socketCloses.labels(String(code)).inc(),
}

/** What a scrape reads from the running instance. */
export interface ScrapeSources {
  socketsOpen: () => number
  backends: () => Promise<{ storage: BackendState, bus: BackendState }>
}

interface BackendState {
  reachable: boolean
  latencyMs: number
}

let enabled = false

/**
 * Turns on the scrape-time gauges and Node's own metrics (event-loop lag, heap, CPU), labelled with this
 * instance: only when NUXT_METRICS_TOKEN is set, so an instance without metrics pays nothing for them.
 */
export function enableMetrics(instance: string, sources: ScrapeSources): void {
  if (enabled) return
  enabled = true
  registry.setDefaultLabels({ banter_instance: instance })
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 })
  new Gauge({
    name: 'banter_sockets_open',
    help: 'WebSockets open on this instance',
    registers: [registry],
    collect() {
      this.set(sources.socketsOpen())
    },
  })
  const up = new Gauge({ name: 'banter_backend_up', help: '1 when the backend answered its check', labelNames: ['backend'], registers: [registry] })
  const latency = new Gauge({ name: 'banter_backend_check_seconds', help: 'Round trip of the backend check (storage, bus)', labelNames: ['backend'], registers: [registry] })
  scrapeBackends = async () => {
    const states = await sources.backends()
    for (const [backend, state] of Object.entries(states)) {
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
