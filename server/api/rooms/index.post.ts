import * as v from 'valibot'
import { RoomNameSchema } from '#shared/protocol'
import { useBanter } from '../../utils/banter'
import { httpError, readBodyAs } from '../../utils/http-errors'
import { requireChatUser } from '../../utils/session-user'

const CreateRoomSchema = v.object({ name: RoomNameSchema })

/** Creates a room; every connected client hears of it through a `room` event. */
export default defineEventHandler(async (event) => {
  const user = await requireChatUser(event)
  const { name } = await readBodyAs(event, CreateRoomSchema)
  const room = await useBanter().chat.createRoom(name, user)
  if (!room) throw httpError(409, 'room_exists', `A room named "${name}" already exists.`)
  setResponseStatus(event, 201)
  return { room }
})
