import { requireMay } from '#server/utils/accounts/policy'
import { listWorkspaceMembers } from '#server/utils/accounts/workspace-admin'

/** Every account (deleted ones excluded) with its role, activity and suspension, for the admin page. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  requireMay(account, 'members.list')
  return { members: await listWorkspaceMembers() }
})
