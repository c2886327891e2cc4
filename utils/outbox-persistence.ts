import type { OutboxItem } from '~/stores/outbox'

/** Per user, so a browser shared by two people never sends one's messages as the other. */
export const OUTBOX_KEY_PREFIX = 'banter:outbox:'
const keyOf = (userId: string) => `${OUTBOX_KEY_PREFIX}${userId}`

/** The user's unsent messages kept from an earlier page (an offline reload); [] when none or unreadable. */
export function loadOutbox(userId: string): OutboxItem[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(keyOf(userId)) ?? '[]')
    if (!Array.isArray(parsed)) return []
    return parsed.filter((item): item is OutboxItem => typeof item?.clientId === 'string' && typeof item.room === 'string'
      && typeof item.text === 'string' && typeof item.createdAt === 'number' && (item.state === 'pending' || item.state === 'failed'))
  }
  catch {
    return []
  }
}

/** Keeps the outbox for a reload; storage blocked or full only costs that. */
export function saveOutbox(userId: string, items: readonly OutboxItem[]): void {
  try {
    if (items.length === 0) localStorage.removeItem(keyOf(userId))
    else localStorage.setItem(keyOf(userId), JSON.stringify(items))
  }
  catch {
    // Not kept: the messages still go while this page stays open.
  }
}
