import type { OutboxItem } from '~/stores/outbox'
import { keptPerUser } from './kept-per-user'

const keptOutbox = keptPerUser<OutboxItem[]>('outbox', data => Array.isArray(data)
  ? data.filter((item): item is OutboxItem => typeof item?.clientId === 'string' && typeof item.room === 'string'
    && typeof item.text === 'string' && typeof item.createdAt === 'number' && (item.state === 'pending' || item.state === 'failed'))
  : [], items => items.length === 0, () => [])

export const OUTBOX_KEY_PREFIX = keptOutbox.prefix

/** The user's unsent messages kept from an earlier page (an offline reload); [] when none or unreadable. */
export const loadOutbox = (userId: string): OutboxItem[] => keptOutbox.read(userId)

/** Keeps the outbox for a reload. */
export const saveOutbox = (userId: string, items: readonly OutboxItem[]): void => keptOutbox.write(userId, [...items])
