import * as v from 'valibot'

// Which alerts a room's event raises for one user: the one place that decides it, for the client's badges and
// toasts and the server's notification events and push alike.

/** How much of a room reaches the user: every message, only what is addressed to them, or nothing. */
export const NOTIFICATION_LEVELS = ['all', 'mentions', 'nothing'] as const
export type NotificationLevel = typeof NOTIFICATION_LEVELS[number]
export const NotificationLevelSchema = v.picklist(NOTIFICATION_LEVELS, 'level must be all, mentions or nothing.')

/** The workspace default when an admin has set none: every room counts every message, as before levels existed. */
export const DEFAULT_NOTIFICATION_LEVEL: NotificationLevel = 'all'

/** A mute that lasts until the user unmutes: the latest instant a Date can hold (as BANNED_UNTIL). */
export const MUTED_FOREVER = 8.64e15

/** What the user chose for one room; null fields follow the defaults. */
export interface RoomNotificationChoice {
  /** The user's override; null: the workspace default (all, in a direct message). */
  level: NotificationLevel | null
  /** Epoch ms the mute ends; MUTED_FOREVER until unmuted; null when not muted. */
  mutedUntil: number | null
}

export const RoomNotificationChoiceSchema = v.object({
  level: v.nullable(NotificationLevelSchema),
  mutedUntil: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MUTED_FOREVER))),
})

/** GET /api/notifications: every choice of the user's by room, and the workspace default. */
export const NotificationChoicesAnswerSchema = v.object({
  workspaceDefault: NotificationLevelSchema,
  choices: v.record(v.string(), RoomNotificationChoiceSchema),
})
export type NotificationChoicesAnswer = v.InferOutput<typeof NotificationChoicesAnswerSchema>

/** The preference that decides: the level in force and the mute. */
export interface NotificationPreference {
  level: NotificationLevel
  mutedUntil: number | null
}

/** What happened: a plain message, a mention of the user, a message in their direct conversation, a reply to them. */
export type AlertKind = 'message' | 'mention' | 'direct' | 'thread-reply'

/** What the event raises: the unread badge, the "@N" badge, the in-app toast, the browser notification, a push. */
export interface Alerts {
  badge: 'count' | 'dot' | 'none'
  mentionBadge: boolean
  signal: boolean
  notify: boolean
  push: boolean
}

const SILENT: Alerts = { badge: 'none', mentionBadge: false, signal: false, notify: false, push: false }
const DOT_ONLY: Alerts = { ...SILENT, badge: 'dot' }
const COUNTED: Alerts = { ...SILENT, badge: 'count' }
const ADDRESSED: Alerts = { badge: 'count', mentionBadge: true, signal: true, notify: true, push: true }

/** The level in force: the user's own, else all in a direct message, else the workspace default. */
export function preferenceFor(choice: RoomNotificationChoice | null, context: { workspaceDefault: NotificationLevel, direct: boolean }): NotificationPreference {
  const level = choice?.level ?? (context.direct ? 'all' : context.workspaceDefault)
  return { level, mutedUntil: choice?.mutedUntil ?? null }
}

export function isMuted(preference: Pick<NotificationPreference, 'mutedUntil'>, now: number): boolean {
  return preference.mutedUntil !== null && now < preference.mutedUntil
}

/**
 * The alerts one event raises. Muted means nothing at all, mentions included. "nothing" leaves only a dot, so
 * the room still shows there is something unread; "mentions" counts only what is addressed to the user and dots
 * the rest; "all" counts every message and notifies for each, but only an addressed one is a mention.
 */
export function alertsFor(preference: NotificationPreference, event: { kind: AlertKind }, now: number): Alerts {
  if (isMuted(preference, now)) return SILENT
  const addressed = event.kind !== 'message'
  switch (preference.level) {
    case 'nothing':
      return DOT_ONLY
    case 'mentions':
      return addressed ? ADDRESSED : DOT_ONLY
    case 'all':
      return addressed ? ADDRESSED : { ...COUNTED, notify: true, push: true }
  }
}
