/** What read receipts need of a storage: everyone's read markers in a room, and who keeps theirs to themselves. */
export interface ReceiptStorage {
  /** Every user's read marker in the room, by user id. */
  roomReadSeqs(room: string): Promise<Record<string, number>>
  /** Those of `userIds` who turned sharing their read receipts off. */
  readReceiptOptOuts(userIds: readonly string[]): Promise<string[]>
  /** Turns sharing the user's read receipts on (the default) or off. */
  setReadReceiptsShared(userId: string, shared: boolean): Promise<void>
}
