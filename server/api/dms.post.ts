import { createHash } from 'node:crypto'
import * as v from 'valibot'
import { DIRECT_MESSAGE_PREFIX } from '#shared/protocol'
import { usersByUsernames } from '#server/utils/accounts/user-lookup'
import { requireMay } from '#server/utils/accounts/policy'
import { clientAddress } from '#server/utils/session/client-address'
import { log } from '#server/utils/log/logger'

/** `username` of the other person (`name` is accepted too, from clients of protocol 4). */
const DirectMessageSchema = v.pipe(
  v.object({ username: v.optional(v.pipe(v.string(), v.maxLength(64))), name: v.optional(v.pipe(v.string(), v.maxLength(64))) }),
  v.check(body => Boolean(body.username ?? body.name), 'A username is required.'),
)

/**
 * The room name of the conversation between two users: the same whoever starts it. `attempt` gives other
 * names for a pair whose first one was taken by a room made before `dm-` names were reserved.
 */
function dmRoomName(a: string, b: string, attempt: number): string {
  const seed = [a, b].sort().join('\n') + (attempt === 0 ? '' : `\n${attempt}`)
  return `${DIRECT_MESSAGE_PREFIX}${createHash('sha256').update(seed).digest('hex').slice(0, 29)}`
}

const NAME_ATTEMPTS = 4

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
  const creator = { userId: user.id, role: account.role, address: clientAddress(event) }
  for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
    const roomName = dmRoomName(user.id, other.id, attempt)
    // Opening a conversation that exists is free; only a new one draws on the creation rate.
    if (!(await storage.getRoom(roomName))) {
      const created = await chat.createDirectMessageAs(creator, roomName, user, other)
      if (created) {
        setResponseStatus(event, 201)
        return { room: created }
      }
    }
    // It exists (or the other person opened it at the same moment). Only the conversation of exactly these two
    // is theirs: a room someone else put under the name is skipped.
    const existing = await storage.getRoom(roomName)
    const members = await storage.roomMembers(roomName)
    if (existing?.kind === 'dm' && members.length === 2 && members.includes(user.id) && members.includes(other.id)) {
      return { room: { ...existing, members: [user, other] } }
    }
    log.warn('dm-name-taken', `the direct-message name ${roomName} is held by another room: trying the next`)
  }
  throw httpError(409, 'room_exists', 'This conversation cannot be opened: its names are taken.')
})
