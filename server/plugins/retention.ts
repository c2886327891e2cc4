import { useBanter } from '#server/utils/banter'
import { useConfig } from '#server/utils/config/startup'
import { log } from '#server/utils/log/logger'
import { RETENTION_BATCH_SIZE, startRetention } from '#server/utils/retention/retention'

/**
 * Message retention (NUXT_RETENTION_DAYS, off by default): removes messages older than that many days at start
 * and every NUXT_RETENTION_INTERVAL_SECONDS after. Runs after banter.ts (plugins run in file-name order), which
 * checks the configuration (a bad value stops the start) and opens the storage.
 */
export default defineNitroPlugin((nitroApp) => {
  const { retentionDays: days, retentionIntervalSeconds } = useConfig()
  if (days === 0) return
  const intervalMs = retentionIntervalSeconds * 1000
  const stop = startRetention(useBanter().storage, { days, batchSize: RETENTION_BATCH_SIZE, intervalMs }, {
    info: message => log.info('retention-run', message),
    warn: message => log.warn('retention-failed', message),
  })
  log.info('retention-on', `retention: messages older than ${days} days are removed every ${Math.round(intervalMs / 1000)} s`)
  nitroApp.hooks.hook('close', stop)
})
