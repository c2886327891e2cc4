/** Where unread starts in one room for one user who never read it. */
export interface UnreadStart {
  room: string
  seq: number
}

/**
 * First sights: for a room a user never read, the seq their unread count starts after, kept so that it is the
 * same after a reload and on every device. They are read markers that are not reads: `readSeqs` and receipts
 * leave them out, the mention and thread-only scans start after them like after a read, and the first real read
 * replaces them.
 */
export interface UnreadStartStorage {
  /** The user's first sights in rooms they have not read in, by room name. */
  unreadStarts(userId: string): Promise<Record<string, number>>
  /**
   * Records first sights in rooms where the user has no marker of any kind yet (an existing one stays); each is
   * clamped to 0..the room's last seq, and an unknown room is skipped.
   */
  startUnread(userId: string, starts: readonly UnreadStart[]): Promise<void>
}
