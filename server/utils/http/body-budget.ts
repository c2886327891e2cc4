/** Which share a body would pass: one client address's, or the server's. */
export type BudgetRefusal = 'address' | 'server'

/**
 * The bytes of request bodies being received at once, in all and per client address, reserved by their declared
 * length before a byte is read. A share per address keeps one client from taking the whole budget, which
 * refused every other user's request (503) for as long as its bodies were on their way.
 */
export class BodyBudget {
  private total = 0
  private readonly byAddress = new Map<string, number>()

  constructor(private readonly maxTotal: number, private readonly maxPerAddress: number) {}

  /** Reserves `bytes` for `address`; answers null when they fit, else the share they would pass (nothing is reserved). */
  reserve(address: string, bytes: number): BudgetRefusal | null {
    const ofAddress = this.byAddress.get(address) ?? 0
    if (ofAddress + bytes > this.maxPerAddress) return 'address'
    if (this.total + bytes > this.maxTotal) return 'server'
    this.byAddress.set(address, ofAddress + bytes)
    this.total += bytes
    return null
  }

  release(address: string, bytes: number): void {
    const left = (this.byAddress.get(address) ?? 0) - bytes
    if (left > 0) this.byAddress.set(address, left)
    else this.byAddress.delete(address)
    this.total -= bytes
  }

  get inFlight(): number {
    return this.total
  }
}
