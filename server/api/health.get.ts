import { useBanter } from '../utils/banter'

/** Liveness for load balancers and people: 503 when storage cannot be reached. */
export default defineEventHandler(async (event) => {
  const { chat, storage, startedAt } = useBanter()
  const storageOk = await storage.ping().catch(() => false)
  if (!storageOk) setResponseStatus(event, 503)
  return {
    status: storageOk ? 'ok' : 'degraded',
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    peers: chat.hub.size,
    storage: { kind: 'sqlite', reachable: storageOk },
  }
})
