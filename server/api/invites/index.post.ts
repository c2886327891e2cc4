import * as v from 'valibot'
import { requireMay } from '#server/utils/accounts/policy'
import { audit } from '#server/utils/accounts/audit'
import { createInvite, inviteUrl, inviteView, MAX_INVITE_HOURS, MAX_INVITE_USES } from '#server/utils/accounts/invites'

const NewInviteSchema = v.object({
  expiresInHours: v.pipe(v.number('expiresInHours must be a number of hours.'), v.gtValue(0), v.maxValue(MAX_INVITE_HOURS)),
  maxUses: v.pipe(v.number('maxUses must be a number.'), v.integer(), v.minValue(1), v.maxValue(MAX_INVITE_USES)),
})

/** Makes an invite link. Its token is in this answer only: the database keeps a hash. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  requireMay(account, 'invites.manage')
  const body = await readBodyAs(event, NewInviteSchema)
  const { invite, token } = await createInvite(account.id, body)
  await audit(account.id, 'invite.created', 'invite', invite.id, { expiresAt: invite.expiresAt, maxUses: invite.maxUses })
  setResponseStatus(event, 201)
  const { origin } = getRequestURL(event, { xForwardedHost: true, xForwardedProto: true })
  return { invite: await inviteView(invite), url: inviteUrl(origin, token) }
})
