import * as v from 'valibot'
import { requireMay } from '#server/utils/accounts/policy'
import { audit } from '#server/utils/accounts/audit'

const InviteIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64))

/** Revokes an invite link: nobody can register with it afterwards. 404 when it is unknown or revoked already. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  requireMay(account, 'invites.manage')
  const id = parseParam(InviteIdSchema, getRouterParam(event, 'id'), 'invite id')
  if (!(await useBanter().storage.revokeInvite(id, Date.now()))) throw httpError(404, 'not_found', 'There is no such invite, or it was revoked already.')
  await audit(account.id, 'invite.revoked', 'invite', id)
  setResponseStatus(event, 204)
  return null
})
