import { sendAttachment } from '#server/utils/files/serve-file'

/** The headers GET /api/files/:id/thumbnail would send, on the same terms. */
export default defineChatHandler(event => sendAttachment(event, 'thumbnail'))
