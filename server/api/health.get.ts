/** Liveness for load balancers and people: 503 when storage or the bus cannot be reached. */
export default defineChatHandler(async (event) => {
  const { chat, storage, storageKind, bus, startedAt } = useBanter()
  const [storageOk, busOk] = await Promise.all([storage.ping().catch(() => false), bus.ping().catch(() => false)])
  const healthy = storageOk && busOk
  if (!healthy) setResponseStatus(event, 503)
  return {
    status: healthy ? 'ok' : 'degraded',
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
    peers: chat.hub.size,
    storage: { kind: storageKind, reachable: storageOk },
    bus: { kind: bus.kind, reachable: busOk },
  }
})
