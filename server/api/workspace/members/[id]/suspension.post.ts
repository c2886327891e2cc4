import * as v from 'valibot'
import { memberParam } from '#server/utils/accounts/member-param'
import { suspendMember } from '#server/utils/accounts/workspace-admin'

const SuspensionSchema = v.object({
  /** Epoch ms; absent bans for good. */
  until: v.optional(v.pipe(v.number('until must be a time in epoch milliseconds.'), v.integer(), v.maxValue(8.64e15))),
})

/** Suspends a member until `until`, or bans them: their sessions end and their sockets close on every instance. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  const id = memberParam(event)
  const { until } = await readBodyAs(event, SuspensionSchema)
  return { member: await suspendMember(account, id, until) }
})
