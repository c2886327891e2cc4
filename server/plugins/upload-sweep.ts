import { useBanter } from '#server/utils/banter'
import { log } from '#server/utils/log/logger'
import { FILES_MOUNT } from '#server/utils/files/file-store'
import { startUploadSweep } from '#server/utils/files/upload-sweep'

/**
 * Deletes uploads that no message carries (never attached, or their message removed) once NUXT_LIMITS_UNATTACHED_UPLOAD_MINUTES old, at start and every
 * 10 minutes. Runs after banter.ts and files.ts (plugins run in file-name order): the limits are read and the
 * file store is mounted.
 */
export default defineNitroPlugin((nitroApp) => {
  const { chat, storage } = useBanter()
  const stop = startUploadSweep(useStorage(FILES_MOUNT), storage, chat.limits.unattachedUploadMinutes, {
    info: message => log.info('upload-sweep', message),
    warn: message => log.warn('upload-sweep-failed', message),
  })
  nitroApp.hooks.hook('close', stop)
})
