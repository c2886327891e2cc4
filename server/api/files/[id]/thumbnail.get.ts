import { sendAttachment } from '#server/utils/files/serve-file'

/** An image's WebP thumbnail, for members of its room only. */
export default defineChatHandler(event => sendAttachment(event, 'thumbnail'))
