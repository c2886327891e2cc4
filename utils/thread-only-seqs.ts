/**
 * Seqs of replies sent to a thread only, per room. They take a seq of the room like any message, but the room's
 * timeline does not show them, so its unread count (newest seq less the read marker) leaves them out.
 */
export type ThreadOnlySeqs = Readonly<Record<string, readonly number[]>>

/** Adds a room's thread-only seqs (from the room list or live), ascending and once each; those read are dropped. */
export function withThreadOnly(current: ThreadOnlySeqs, room: string, seqs: readonly number[], readSeq: number): ThreadOnlySeqs {
  const merged = [...new Set([...(current[room] ?? []), ...seqs])].filter(seq => seq > readSeq).sort((a, b) => a - b)
  return { ...current, [room]: merged }
}

/** How many of a room's thread-only seqs lie after `readSeq` and up to `newestSeq`. */
export function threadOnlyBetween(seqs: readonly number[] | undefined, readSeq: number, newestSeq: number): number {
  return seqs?.filter(seq => seq > readSeq && seq <= newestSeq).length ?? 0
}

/** True when a room read up to `readSeq` has nothing unread up to `seq`: what lies between went to threads only. */
export function readUpTo(readSeq: number | undefined, threadOnly: readonly number[] | undefined, seq: number): boolean {
  return readSeq !== undefined && readSeq + threadOnlyBetween(threadOnly, readSeq, seq) >= seq
}
