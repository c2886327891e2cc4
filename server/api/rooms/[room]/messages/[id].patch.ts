import * as v from 'valibot'
import { ChatTextSchema } from '#shared/protocol'

const EditSchema = v.object({ text: ChatTextSchema })

/** Edits the user's own message, like a socket `edit`; answers the updated message. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const { room, id } = messageParams(event)
  const { text } = await readBodyAs(event, EditSchema)
  return { message: await useBanter().chat.changeMessage(user, { type: 'edit', room, id, text }) }
})
