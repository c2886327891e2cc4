import * as v from 'valibot'
import { WorkspaceRoleSchema } from '#shared/protocol'
import { memberParam } from '#server/utils/accounts/member-param'
import { changeMemberRole } from '#server/utils/accounts/workspace-admin'

const RoleChangeSchema = v.object({ role: WorkspaceRoleSchema })

/** Changes a member's role: only of someone ranked below the actor, to a role below the actor's (policy.mayModerateUser). */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  const id = memberParam(event)
  const { role } = await readBodyAs(event, RoleChangeSchema)
  return { member: await changeMemberRole(account, id, role) }
})
