import * as v from 'valibot'
import { ChatTextSchema, ClientIdSchema, RoomNameSchema } from '#shared/protocol'
import { ackFor } from '../../../utils/chat-service'
import { useBanter } from '../../../utils/banter'
import { parseParam, readBodyAs } from '../../../utils/http-errors'
import { defineChatHandler } from '../../../utils/chat-handler'
import { requireChatUser } from '../../../utils/session-user'

const PostMessageSchema = v.object({ text: ChatTextSchema, clientId: ClientIdSchema })

/** Posts a message exactly as a socket `chat` would: stored once per clientId, broadcast, answered with the ack. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const room = parseParam(RoomNameSchema, getRouterParam(event, 'room'), 'room')
  const { text, clientId } = await readBodyAs(event, PostMessageSchema)
  const { message, duplicate } = await useBanter().chat.postMessage(user, room, text, clientId)
  setResponseStatus(event, duplicate ? 200 : 201)
  return ackFor(message)
})
