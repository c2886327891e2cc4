import { createHash } from 'node:crypto'
import * as v from 'valibot'
import { UserNameSchema } from '#shared/protocol'

const DirectMessageSchema = v.object({ name: UserNameSchema })

/** The room name of the conversation between two users: the same whoever starts it. */
function dmRoomName(a: string, b: string): string {
  return `dm-${createHash('sha256').update([a, b].sort().join('\n')).digest('hex').slice(0, 29)}`
}

/** Opens (or finds) the direct conversation with another user; only the two of them can see it. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const { name } = await readBodyAs(event, DirectMessageSchema)
  const { chat, storage } = useBanter()
  const [other] = await storage.usersByNames([name])
  if (!other) throw httpError(404, 'unknown_user', `Nobody is signed in as "${name}".`)
  if (other.id === user.id) throw httpError(400, 'invalid_event', 'A direct message needs someone else.')
  const roomName = dmRoomName(user.id, other.id)
  const created = await chat.createRoom(roomName, user, { kind: 'dm', members: [other] })
  if (created) setResponseStatus(event, 201)
  return { room: created ?? { ...(await storage.getRoom(roomName))!, members: [user, other] } }
})
