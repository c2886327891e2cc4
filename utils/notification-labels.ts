import type { NotificationLevel } from '#shared/notification-levels'

/** How each notification level reads in the room header and the workspace settings. */
export const NOTIFICATION_LEVEL_LABELS: Record<NotificationLevel, string> = {
  all: 'All messages',
  mentions: 'Mentions only',
  nothing: 'Nothing',
}
