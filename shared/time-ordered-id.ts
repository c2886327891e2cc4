/**
 * Ids in UUID version 7 form (RFC 9562): the first 48 bits are the time in ms and the next 12 a counter, so ids
 * made one after another sort in order. The server uses them for message ids and the browser for clientIds:
 * both are keys of SQLite indexes, and a random key lands on a random page of its index, every one of which is
 * rewritten on commit, while ordered keys append to the last page.
 */
let lastMs = 0
let counter = 0
// crypto.getRandomValues (browser and Node) fills at most 64 KiB per call: take random words from a pool.
const pool = new Uint32Array(1024)
let poolIndex = pool.length

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
  if (poolIndex + 2 > pool.length) {
    crypto.getRandomValues(pool)
    poolIndex = 0
  }
  const high = pool[poolIndex]!
  const low = pool[poolIndex + 1]!
  poolIndex += 2
  const time = lastMs.toString(16).padStart(12, '0')
  const variant = (0x8000 | (high & 0x3fff)).toString(16)
  const tail = ((high >>> 14) & 0xffff).toString(16).padStart(4, '0') + low.toString(16).padStart(8, '0')
  return `${time.slice(0, 8)}-${time.slice(8)}-7${counter.toString(16).padStart(3, '0')}-${variant}-${tail}`
}
