import { loadConfig } from '#server/utils/config/startup'
import { FILES_MOUNT, filesDriverFor } from '#server/utils/files/file-store'

/** Mounts the uploaded files' storage (disk, or S3 when configured) before any request is served. */
export default defineNitroPlugin(() => {
  useStorage().mount(FILES_MOUNT, filesDriverFor(loadConfig()))
})
