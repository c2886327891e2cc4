import * as v from 'valibot'
import { SeqSchema } from '#shared/protocol'

const ThreadReadSchema = v.object({ seq: SeqSchema })

/** Moves the user's read place in the thread under a message, like a socket `thread-read` event; answers the stored seq. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const { room, id } = messageParams(event)
  const { seq } = await readBodyAs(event, ThreadReadSchema)
  return { room, rootId: id, seq: await useBanter().chat.threads.markRead(user, room, id, seq) }
})
