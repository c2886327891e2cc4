import { defineStore } from 'pinia'
import { ref } from 'vue'
import { isDirectRoom } from '#shared/protocol'
import * as v from 'valibot'
import { DEFAULT_NOTIFICATION_LEVEL, NotificationChoicesAnswerSchema, alertsFor, isMuted, preferenceFor } from '#shared/notification-levels'
import type { AlertKind, Alerts, NotificationLevel, NotificationPreference, RoomNotificationChoice } from '#shared/notification-levels'
import { useConnectionStore } from './connection'

/** How often the clock behind the mutes ticks, so a mute that ends brings the room's badges back without a reload. */
const CLOCK_TICK_MS = 30_000

/**
 * This user's notification level and mute in each room and the workspace default: read over REST on every
 * (re)connection, kept current by `notification-choice` from any tab. Badges, toasts and browser notifications
 * ask `alertsIn`, which asks the same pure module the server does.
 */
export const useNotificationsStore = defineStore('notifications', () => {
  const connection = useConnectionStore()
  const workspaceDefault = ref<NotificationLevel>(DEFAULT_NOTIFICATION_LEVEL)
  const choices = ref<Record<string, RoomNotificationChoice>>({})
  const now = ref(Date.now())

  connection.on('welcome', () => void load())
  connection.on('notification-choice', ({ room, level, mutedUntil }) => remember(room, { level, mutedUntil }))
  connection.onDisconnect(() => {
    choices.value = {}
  })
  connection.onStart(() => {
    setInterval(() => {
      now.value = Date.now()
    }, CLOCK_TICK_MS)
  })

  async function load(): Promise<void> {
    try {
      const answer = v.parse(NotificationChoicesAnswerSchema, await $fetch('/api/notifications'))
      workspaceDefault.value = answer.workspaceDefault
      choices.value = answer.choices
    }
    catch (error) {
      console.warn('[banter] could not read the notification levels', error)
    }
  }

  function remember(room: string, choice: RoomNotificationChoice): void {
    const { [room]: _previous, ...others } = choices.value
    choices.value = choice.level === null && choice.mutedUntil === null ? others : { ...others, [room]: choice }
  }

  function preferenceIn(room: string): NotificationPreference {
    return preferenceFor(choices.value[room] ?? null, { workspaceDefault: workspaceDefault.value, direct: isDirectRoom(room) })
  }

  /** The level the room follows where this user chose none: the workspace default, or all in a direct message. */
  function defaultLevelIn(room: string): NotificationLevel {
    return preferenceFor(null, { workspaceDefault: workspaceDefault.value, direct: isDirectRoom(room) }).level
  }

  /** What an event in the room raises here, by the same rules the server follows. */
  function alertsIn(room: string, kind: AlertKind): Alerts {
    return alertsFor(preferenceIn(room), { kind }, now.value)
  }

  /** When the room's mute ends (MUTED_FOREVER: until unmuted), or null when it is not muted now. */
  function mutedUntil(room: string): number | null {
    const preference = preferenceIn(room)
    return isMuted(preference, now.value) ? preference.mutedUntil : null
  }

  /** Saves a choice for the room; the server tells every tab, this one included. */
  async function choose(room: string, choice: RoomNotificationChoice): Promise<void> {
    const saved = await $fetch<RoomNotificationChoice>(`/api/rooms/${room}/notifications`, { method: 'PUT', body: choice })
    now.value = Date.now()
    remember(room, { level: saved.level, mutedUntil: saved.mutedUntil })
  }

  return { workspaceDefault, choices, now, load, preferenceIn, defaultLevelIn, alertsIn, mutedUntil, choose }
})
