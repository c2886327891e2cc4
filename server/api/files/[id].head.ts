import { sendAttachment } from '#server/utils/files/serve-file'

/** The headers GET /api/files/:id would send (size, ranges, entity tag), on the same terms. */
export default defineChatHandler(event => sendAttachment(event, 'file'))
