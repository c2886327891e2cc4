/**
 * Sockets open on this instance per client address: 2,000 guests from one address once held nearly every file
 * the process may open. The upgrade checks the count (server/routes/_ws.ts), chat-socket.ts keeps it.
 */
export class AddressCounts {
  private readonly counts = new Map<string, number>()

  count(address: string): number {
    return this.counts.get(address) ?? 0
  }

  add(address: string): void {
    this.counts.set(address, this.count(address) + 1)
  }

  remove(address: string): void {
    const left = this.count(address) - 1
    if (left > 0) this.counts.set(address, left)
    else this.counts.delete(address)
  }
}

/** This process's counts: one per instance, like the total cap. */
export const socketsByAddress = new AddressCounts()
