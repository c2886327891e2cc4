import { timedCheck } from '#server/utils/boot/health-checks'
import { BANTER_VERSION } from '#server/utils/boot/version'

/**
 * Liveness for load balancers and people: 503 when storage or the bus cannot be reached, saying which.
 * Each check has its own deadline, so this answers within a second even while a backend hangs.
 */
export default defineChatHandler(async (event) => {
  const { chat, storage, storageKind, bus, startedAt, instanceId } = useBanter()
  const [storageState, busState] = await Promise.all([timedCheck(() => storage.ping()), timedCheck(() => bus.ping())])
  const healthy = storageState.reachable && busState.reachable
  if (!healthy) setResponseStatus(event, 503)
  return {
    status: healthy ? 'ok' : 'degraded',
    version: BANTER_VERSION,
    instance: instanceId,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    peers: chat.hub.size,
    storage: { kind: storageKind, ...storageState },
    bus: { kind: bus.kind, ...busState },
  }
})
