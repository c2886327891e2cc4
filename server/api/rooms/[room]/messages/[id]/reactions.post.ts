import * as v from 'valibot'
import { EmojiSchema } from '#shared/protocol'

const ReactSchema = v.object({ emoji: EmojiSchema })

/** Toggles the user's reaction on a message, like a socket `react`; answers the updated message. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const { room, id } = messageParams(event)
  const { emoji } = await readBodyAs(event, ReactSchema)
  return { message: await useBanter().chat.changeMessage(user, { type: 'react', room, id, emoji }) }
})
