import * as v from 'valibot'
import { RoomNameSchema, UserNameSchema } from '#shared/protocol'
import type { User } from '#shared/protocol'

const CreateRoomSchema = v.object({
  name: RoomNameSchema,
  /** A private room is seen and joined by its members only. */
  private: v.optional(v.boolean(), false),
  /** Display names of the other members of a private room. */
  members: v.optional(v.pipe(v.array(UserNameSchema), v.maxLength(50)), []),
})

/** Creates a room; its members (everyone, for a public room) hear of it through a `room` event. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const { name, private: isPrivate, members: names } = await readBodyAs(event, CreateRoomSchema)
  const { chat, storage } = useBanter()
  let members: User[] | undefined
  if (isPrivate) {
    members = await storage.usersByNames(names)
    const missing = names.filter(wanted => !members!.some(member => member.name.toLowerCase() === wanted.toLowerCase()))
    if (missing.length > 0) throw httpError(400, 'unknown_user', `Nobody is signed in as ${missing.map(name => `"${name}"`).join(', ')}.`)
  }
  const room = await chat.createRoom(name, user, isPrivate ? { kind: 'private', members: members! } : undefined)
  if (!room) throw httpError(409, 'room_exists', `A room named "${name}" already exists.`)
  setResponseStatus(event, 201)
  return { room }
})
