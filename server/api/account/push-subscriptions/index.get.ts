import type { PushDevices } from '#shared/push'

/** Whether push is on (with the VAPID public key to subscribe with) and the account's subscribed devices, oldest first. */
export default defineChatHandler(async (event): Promise<PushDevices> => {
  const { account } = await requireChatSession(event)
  const { storage, push } = useBanter()
  const subscriptions = await storage.pushSubscriptionsOf(account.id)
  return {
    publicKey: push.publicKey,
    subscriptions: subscriptions.map(({ id, device, createdAt, lastUsedAt }) => ({ id, device, createdAt, lastUsedAt })),
  }
})
