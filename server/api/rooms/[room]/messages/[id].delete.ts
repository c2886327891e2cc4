import { useBanter } from '../../../../utils/banter'
import { chatErrorToHttp } from '../../../../utils/http-errors'
import { messageParams } from '../../../../utils/message-params'
import { requireChatUser } from '../../../../utils/session-user'

/** Deletes the user's own message, leaving a tombstone; answers the tombstone. */
export default defineEventHandler(async (event) => {
  const user = await requireChatUser(event)
  const { room, id } = messageParams(event)
  try {
    return { message: await useBanter().chat.changeMessage(user, { type: 'delete', room, id }) }
  }
  catch (error) {
    throw chatErrorToHttp(error)
  }
})
