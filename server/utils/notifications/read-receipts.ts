import type { ReadMarker } from '../storage/types'
import type { ReceiptStorage } from '../storage/receipt-types'
import type { FanOut } from '../fan-out/types'
import type { RoomFacts, RoomPolicy } from '../chat/room-policy'
import { log } from '../log/logger'

/** One member's receipt: they have read the room up to `seq`. */
export interface ReadReceipt {
  userId: string
  seq: number
}

/**
 * "Seen by" in direct messages and small private rooms, from the read markers banter keeps. Public rooms and rooms
 * over `maxMembers` never share them; a user who stops sharing theirs sees nobody's either.
 */
export class ReadReceipts {
  constructor(
    private readonly storage: ReceiptStorage,
    private readonly access: Pick<RoomPolicy, 'require'>,
    private readonly fanOut: Pick<FanOut, 'toUser'>,
    private readonly maxMembers: number,
  ) {}

  /** The other members' receipts the viewer may see in a room they may read (unknown_room, forbidden otherwise). */
  async receiptsFor(viewerId: string, room: string): Promise<ReadReceipt[]> {
    const members = this.membersSharing(await this.access.require(room, viewerId))
    if (!members) return []
    const optOuts = new Set(await this.storage.readReceiptOptOuts(members))
    if (optOuts.has(viewerId)) return []
    const seqs = await this.storage.roomReadSeqs(room)
    return members
      .filter(member => member !== viewerId && !optOuts.has(member) && seqs[member] !== undefined)
      .map(member => ({ userId: member, seq: seqs[member]! }))
  }

  /** Tells the other sharing members of each small room where a sharing reader's marker now is. */
  async announce(markers: readonly ReadMarker[]): Promise<void> {
    for (const { userId, room, seq } of markers) {
      try {
        const members = this.membersSharing(await this.access.require(room, userId))
        if (!members) continue
        const optOuts = new Set(await this.storage.readReceiptOptOuts(members))
        if (optOuts.has(userId)) continue
        for (const member of members) {
          if (member !== userId && !optOuts.has(member)) this.fanOut.toUser(member, { type: 'receipt', room, userId, seq })
        }
      }
      catch (error) {
        log.warn('receipt-failed', 'could not send read receipts', { err: error, room })
      }
    }
  }

  async sharing(userId: string): Promise<boolean> {
    return (await this.storage.readReceiptOptOuts([userId])).length === 0
  }

  setSharing(userId: string, shared: boolean): Promise<void> {
    return this.storage.setReadReceiptsShared(userId, shared)
  }

  /** The room's members when the room is small and not public, else null: no receipts there. */
  private membersSharing(facts: RoomFacts): string[] | null {
    if (!facts.members || facts.members.size > this.maxMembers) return null
    return [...facts.members]
  }
}
