import { useBanter } from '#server/utils/banter'
import { forgetCachedSettings } from '#server/utils/accounts/workspace-settings'

/**
 * Settings are cached for a second per instance; a change made on another instance drops the copy here at
 * once, so guests turned off are refused everywhere from that moment, not a second later. Runs after
 * banter.ts (plugins run in file-name order), which sets up the bus.
 */
export default defineNitroPlugin(() => {
  useBanter().bus.onMessage((message) => {
    if (message.kind === 'settings-changed') forgetCachedSettings()
  })
})
