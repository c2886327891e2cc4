import * as v from 'valibot'
import { SeqSchema } from '#shared/protocol'

const ReadSchema = v.object({ seq: SeqSchema })

/** Moves the user's read marker in a room, like a socket `read` event; answers the stored seq. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const room = roomParam(event)
  const { seq } = await readBodyAs(event, ReadSchema)
  return { room, seq: await useBanter().chat.markRead(user, room, seq) }
})
