/** Where unread starts in one room for one user who never read it. */
export interface UnreadStart {
  room: string
  seq: number
}

/**
 * First sights: for a room a user never read, the seq their unread count starts after, kept so that it is the
 * same after a reload and on every device; and for a newcomer to a private room, the seq they were added at. They
 * are not reads (no receipt shows them): a read marker, once there, takes over where it is further on. The
 * mention and thread-only scans start after the further of the two.
 */
export interface UnreadStartStorage {
  /** The user's first sights still beyond their read marker (or in rooms with none), by room name. */
  unreadStarts(userId: string): Promise<Record<string, number>>
  /**
   * Records first sights in rooms where the user has neither one nor a read marker (an existing one stays);
   * each is clamped to 0..the room's last seq, an unknown room is skipped, and of a room given twice the first
   * counts.
   */
  startUnread(userId: string, starts: readonly UnreadStart[]): Promise<void>
}
