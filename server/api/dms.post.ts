import { createHash } from 'node:crypto'
import * as v from 'valibot'
import { usersByUsernames } from '#server/utils/accounts/user-lookup'
import { requireMay } from '#server/utils/accounts/policy'

/** `username` of the other person (`name` is accepted too, from clients of protocol 4). */
const DirectMessageSchema = v.pipe(
  v.object({ username: v.optional(v.pipe(v.string(), v.maxLength(64))), name: v.optional(v.pipe(v.string(), v.maxLength(64))) }),
  v.check(body => Boolean(body.username ?? body.name), 'A username is required.'),
)

/** The room name of the conversation between two users: the same whoever starts it. */
function dmRoomName(a: string, b: string): string {
  return `dm-${createHash('sha256').update([a, b].sort().join('\n')).digest('hex').slice(0, 29)}`
}

/** Opens (or finds) the direct conversation with another user; only the two of them can see it. */
export default defineChatHandler(async (event) => {
  const { user, account } = await requireChatSession(event)
  requireMay(account, 'dms.open')
  const body = await readBodyAs(event, DirectMessageSchema)
  const name = (body.username ?? body.name)!
  const { chat, storage } = useBanter()
  const [other] = (await usersByUsernames(storage, [name])).users
  if (!other) throw httpError(404, 'unknown_user', `Nobody has the username "${name}".`)
  if (other.id === user.id) throw httpError(400, 'invalid_event', 'A direct message needs someone else.')
  const roomName = dmRoomName(user.id, other.id)
  const created = await chat.createRoom(roomName, user, { kind: 'dm', members: [other] })
  if (created) setResponseStatus(event, 201)
  return { room: created ?? { ...(await storage.getRoom(roomName))!, members: [user, other] } }
})
