import type { ChatStorage, ReadMarker } from '../storage/types'
import { isStorageUnavailable } from '../storage/unavailable'

interface PendingMarker extends ReadMarker {
  waiters: { resolve: (seq: number) => void, reject: (error: unknown) => void }[]
}

/**
 * The read markers moved during one event-loop turn, by any number of users and tabs: a message read by a
 * room full of people is one storage write on the next turn, and each user hears once per room and turn,
 * with the marker as stored (never lower than before).
 */
export class ReadMarkerBatch {
  /** Per user and room, the highest seq asked for this turn and who waits for the answer. */
  private pending: Map<string, PendingMarker> | null = null

  constructor(
    private readonly storage: Pick<ChatStorage, 'setReadSeqs'>,
    /** Tells each user's connections where their markers now are. */
    private readonly announce: (stored: readonly ReadMarker[]) => void,
  ) {}

  /** Raises a user's marker in a room; resolves with the stored marker. */
  raise(userId: string, room: string, seq: number): Promise<number> {
    if (!this.pending) {
      this.pending = new Map()
      setImmediate(() => void this.write())
    }
    const key = `${userId}\n${room}`
    let marker = this.pending.get(key)
    if (!marker) this.pending.set(key, (marker = { userId, room, seq, waiters: [] }))
    else if (seq > marker.seq) marker.seq = seq
    const waiters = marker.waiters
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }))
  }

  private async write(): Promise<void> {
    const markers = [...this.pending!.values()]
    this.pending = null
    let stored: number[]
    try {
      stored = await this.storage.setReadSeqs(markers)
    }
    catch (error) {
      // Storage is down: every marker fails alike, and N retries would only wait N times as long.
      if (markers.length === 1 || isStorageUnavailable(error)) {
        for (const marker of markers) marker.waiters.forEach(waiter => waiter.reject(error))
        return
      }
      // One bad marker (a room that does not exist) must not fail the others: write them one by one.
      await Promise.all(markers.map(marker => this.writeOne(marker)))
      return
    }
    this.settle(markers, stored)
  }

  private async writeOne(marker: PendingMarker): Promise<void> {
    try {
      this.settle([marker], await this.storage.setReadSeqs([marker]))
    }
    catch (error) {
      marker.waiters.forEach(waiter => waiter.reject(error))
    }
  }

  private settle(markers: readonly PendingMarker[], stored: readonly number[]): void {
    const announced = markers.map(({ userId, room, waiters }, index) => {
      const seq = stored[index]!
      for (const waiter of waiters) waiter.resolve(seq)
      return { userId, room, seq }
    })
    this.announce(announced)
  }
}
