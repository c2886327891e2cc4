import { memberParam } from '#server/utils/accounts/member-param'
import { liftMemberSuspension } from '#server/utils/accounts/workspace-admin'

/** Lifts a suspension or ban: the member may sign in again. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  return { member: await liftMemberSuspension(account, memberParam(event)) }
})
