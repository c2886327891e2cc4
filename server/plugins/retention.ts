import { useBanter } from '#server/utils/banter'
import { parseRetentionDays, RETENTION_BATCH_SIZE, RETENTION_INTERVAL_MS, startRetention } from '#server/utils/retention/retention'

/**
 * Message retention (NUXT_RETENTION_DAYS, off by default): removes messages older than that many days at start
 * and every hour after. Runs after banter.ts (plugins run in file-name order), which opens the storage.
 */
export default defineNitroPlugin((nitroApp) => {
  const config = useRuntimeConfig()
  let days: number
  try {
    days = parseRetentionDays(config.retention.days)
  }
  catch (error) {
    // A bad value must not delete anything: retention stays off and says why, once.
    console.error(`[banter] retention is off: ${(error as Error).message}`)
    return
  }
  if (days === 0) return
  const intervalMs = Number(config.retention.intervalSeconds) * 1000 || RETENTION_INTERVAL_MS
  const stop = startRetention(useBanter().storage, { days, batchSize: RETENTION_BATCH_SIZE, intervalMs })
  console.info(`[banter] retention: messages older than ${days} days are removed every ${Math.round(intervalMs / 1000)} s`)
  nitroApp.hooks.hook('close', stop)
})
