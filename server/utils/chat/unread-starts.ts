import type { Room } from '#shared/protocol'
import type { Account } from '../storage/account-types'
import type { ChatStorage } from '../storage/types'

/** When first sights began (a migration sets it): rooms from before count from first sight for accounts from before. */
export const UNREAD_SINCE_SETTING = 'unread_since'

/**
 * Where a room's unread count starts for someone who never read it: a room made after their account (a
 * direct message to them, a new room) is all unread; in one that was there before, only what comes after they
 * first see it is. A newcomer is not greeted with all of history as unread.
 */
export function firstSightSeq(room: Pick<Room, 'createdAt'>, lastSeq: number, countsFrom: number): number {
  return room.createdAt >= countsFrom ? 0 : lastSeq
}

/**
 * The user's first sights that still count (unread-start-types.ts), after recording one for each visible room
 * with neither a read marker (`read`) nor a first sight yet: then a reload, another device or another instance
 * counts what came since as unread. Storage keeps an existing one, so two requests at once agree.
 */
export async function unreadStartsFor(
  storage: Pick<ChatStorage, 'unreadStarts' | 'startUnread' | 'getSetting'>,
  account: Pick<Account, 'id' | 'createdAt'>,
  rooms: readonly Room[],
  lastSeq: Readonly<Record<string, number>>,
  read: Readonly<Record<string, number>>,
): Promise<Record<string, number>> {
  const known = await storage.unreadStarts(account.id)
  const unseen = rooms.filter(room => read[room.name] === undefined && known[room.name] === undefined)
  if (unseen.length === 0) return known
  const countsFrom = Math.max(account.createdAt, Number(await storage.getSetting(UNREAD_SINCE_SETTING) ?? 0))
  await storage.startUnread(account.id, unseen.map(room => ({ room: room.name, seq: firstSightSeq(room, lastSeq[room.name] ?? 0, countsFrom) })))
  return storage.unreadStarts(account.id)
}
