import { ackFor, NewMessageFieldsSchema } from '#shared/protocol'

/**
 * Posts a message (or a reply, a thread reply, a message with attachments) exactly as a socket `chat` would:
 * stored once per clientId, broadcast, answered with the ack.
 */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const room = roomParam(event)
  const { text, clientId, ...extras } = await readBodyAs(event, NewMessageFieldsSchema)
  const { message, duplicate } = await useBanter().chat.postMessage(user, room, text, clientId, undefined, extras)
  setResponseStatus(event, duplicate ? 200 : 201)
  return ackFor(message)
})
