import * as v from 'valibot'
import { NewRoomNameSchema } from '#shared/protocol'
import type { User } from '#shared/protocol'
import { usersByUsernames } from '#server/utils/accounts/user-lookup'
import { requireMay } from '#server/utils/accounts/policy'
import { clientAddress } from '#server/utils/session/client-address'

const UsernameSchema = v.pipe(v.string(), v.maxLength(64))

const CreateRoomSchema = v.object({
  name: NewRoomNameSchema,
  /** A private room is seen and joined by its members only. */
  private: v.optional(v.boolean(), false),
  /** Usernames of the other members of a private room. */
  members: v.optional(v.pipe(v.array(UsernameSchema), v.maxLength(50)), []),
})

/**
 * Creates a room; its members (everyone, for a public room) hear of it through a `room` event. A name that is
 * taken, or looks like a taken one (`genera1` beside `general`, server/utils/chat/room-names.ts): 409
 * `room_exists`. Past the creation caps (server/utils/chat/room-creation-caps.ts): 429 `rate_limited` or 403
 * `room_limit`.
 */
export default defineChatHandler(async (event) => {
  const { user, account } = await requireChatSession(event)
  requireMay(account, 'rooms.create')
  const { name, private: isPrivate, members: names } = await readBodyAs(event, CreateRoomSchema)
  const { chat, storage } = useBanter()
  let members: User[] | undefined
  if (isPrivate) {
    const found = await usersByUsernames(storage, names)
    members = found.users
    if (found.missing.length > 0) throw httpError(400, 'unknown_user', `Nobody has the username ${found.missing.map(name => `"${name}"`).join(', ')}.`)
  }
  const creator = { userId: user.id, role: account.role, address: clientAddress(event) }
  const room = await chat.createRoomAs(creator, name, user, isPrivate ? { kind: 'private', members: members! } : undefined)
  // One answer for the name and its look-alikes, private rooms included, as for exact names before: it names no
  // room but the one typed, so a non-member learns only that some room holds that name or one like it.
  if (!room) throw httpError(409, 'room_exists', `A room named "${name}", or one that looks like it, already exists.`)
  setResponseStatus(event, 201)
  return { room }
})
