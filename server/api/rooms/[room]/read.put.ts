import * as v from 'valibot'
import { RoomNameSchema, SeqSchema } from '#shared/protocol'
import { useBanter } from '../../../utils/banter'
import { parseParam, readBodyAs } from '../../../utils/http-errors'
import { defineChatHandler } from '../../../utils/chat-handler'
import { requireChatUser } from '../../../utils/session-user'

const ReadSchema = v.object({ seq: SeqSchema })

/** Moves the user's read marker in a room, like a socket `read` event; answers the stored seq. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const room = parseParam(RoomNameSchema, getRouterParam(event, 'room'), 'room')
  const { seq } = await readBodyAs(event, ReadSchema)
  return { room, seq: await useBanter().chat.markRead(user, room, seq) }
})
