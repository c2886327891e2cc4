import * as v from 'valibot'

/** A subscription id as the server made it (time-ordered id). */
const PushSubscriptionIdSchema = v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/, 'a subscription id'))

/** Removes one of the account's own push subscriptions; another user's is 404, as a missing one is. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  const id = parseParam(PushSubscriptionIdSchema, getRouterParam(event, 'id'), 'subscription id')
  if (!(await useBanter().storage.removePushSubscription(account.id, id))) throw httpError(404, 'not_found', 'You have no such push subscription.')
  setResponseStatus(event, 204)
  return null
})
