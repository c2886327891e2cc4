import { sendAttachment } from '#server/utils/files/serve-file'

/** An uploaded file, for members of its room only (404 for anyone else, as for no file). */
export default defineChatHandler(event => sendAttachment(event, 'file'))
