import * as v from 'valibot'
import { ackFor, ChatTextSchema, ClientIdSchema, ReplyFieldsSchema } from '#shared/protocol'

const PostMessageSchema = v.object({ text: ChatTextSchema, clientId: ClientIdSchema, ...ReplyFieldsSchema.entries })

/** Posts a message (or a reply, a thread reply) exactly as a socket `chat` would: stored once per clientId, broadcast, answered with the ack. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const room = roomParam(event)
  const { text, clientId, ...reply } = await readBodyAs(event, PostMessageSchema)
  const { message, duplicate } = await useBanter().chat.postMessage(user, room, text, clientId, undefined, reply)
  setResponseStatus(event, duplicate ? 200 : 201)
  return ackFor(message)
})
