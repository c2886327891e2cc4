import { acceptUpload } from '#server/utils/files/uploads'
import { attachmentView } from '#server/utils/files/attachments'

/**
 * Uploads one file to a room: the raw bytes are the body (Content-Type: what the client thinks it is,
 * `?name=` its name). Answers 201 `{attachment}`; 413 file_too_large, 415 file_type_mismatch, 429 rate_limited.
 */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const room = roomParam(event)
  const record = await acceptUpload(event, user, room)
  setResponseStatus(event, 201)
  return { attachment: attachmentView(record) }
})
