import type { WorkspaceSettings } from '#shared/workspace-admin'
import * as v from 'valibot'
import { DEFAULT_NOTIFICATION_LEVEL, NotificationLevelSchema } from '#shared/notification-levels'
import { useBanter } from '../banter'

export type { RegistrationMode, WorkspaceSettings } from '#shared/workspace-admin'

/** A fresh installation: guests welcome (two tabs can chat a minute after `npm run dev`), registration open. */
export const DEFAULT_SETTINGS: WorkspaceSettings = { guests: true, registration: 'open', notificationLevel: DEFAULT_NOTIFICATION_LEVEL }

/** Settings are read on every session check: kept this long, so a change reaches every instance within it. */
export const SETTINGS_CACHE_MS = 1000
let cached: { settings: WorkspaceSettings, until: number } | null = null

export async function workspaceSettings(now = Date.now()): Promise<WorkspaceSettings> {
  if (cached && cached.until > now) return cached.settings
  const { storage } = useBanter()
  const [guests, registration, notificationLevel] = await Promise.all([
    storage.getSetting('guests'), storage.getSetting('registration'), storage.getSetting('notificationLevel'),
  ])
  const settings: WorkspaceSettings = {
    guests: guests === null ? DEFAULT_SETTINGS.guests : guests === 'on',
    registration: registration === 'invite' || registration === 'closed' || registration === 'open' ? registration : DEFAULT_SETTINGS.registration,
    notificationLevel: v.is(NotificationLevelSchema, notificationLevel) ? notificationLevel : DEFAULT_SETTINGS.notificationLevel,
  }
  cached = { settings, until: now + SETTINGS_CACHE_MS }
  return settings
}

export async function guestsAllowed(): Promise<boolean> {
  return (await workspaceSettings()).guests
}

/** Drops this instance's copy, so the next read sees the database (a bus message does this on every instance). */
export function forgetCachedSettings(): void {
  cached = null
}

/** Stores the changes and tells every instance to read the settings afresh, so none acts on the old ones. */
export async function updateWorkspaceSettings(changes: Partial<WorkspaceSettings>): Promise<WorkspaceSettings> {
  const { storage, bus } = useBanter()
  if (changes.guests !== undefined) await storage.setSetting('guests', changes.guests ? 'on' : 'off')
  if (changes.registration !== undefined) await storage.setSetting('registration', changes.registration)
  if (changes.notificationLevel !== undefined) await storage.setSetting('notificationLevel', changes.notificationLevel)
  forgetCachedSettings()
  bus.publish({ kind: 'settings-changed' })
  return workspaceSettings()
}
