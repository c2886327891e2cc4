import type { AlertKind } from '#shared/notification-levels'
import { useBanter } from '../banter'

/**
 * Whether a push for this event may go to the user, by their stored level and mute (the Web Push sender asks
 * this). It does not check that the user may see the room: the sender only pushes to those who may.
 */
export async function pushAllowedFor(userId: string, room: string, kind: AlertKind, now = Date.now()): Promise<boolean> {
  return (await useBanter().chat.notifications.alertsOf(userId, room, kind, now)).push
}
