// Every delivery is checked, none is trusted: each message's clientId carries the send time, its sender (member
// index in the room) and the sender's own counter, so a receiver can spot loss, duplicates and latency.

/** Wall clock in microseconds, comparable between processes on one machine. */
export const nowMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000)

/**
 * `sentAtMicros-member-n`: unique per sender, which banter needs (it deduplicates on user and clientId), and
 * time first, like the time-ordered clientIds banter's own client makes.
 */
export const clientIdFor = (member, n) => `${nowMicros()}-${member}-${n}`

/** What one worker saw during the current run; reset at the start of each run. */
export const runStats = { delivered: 0, dups: 0, gaps: 0, lastAt: 0, latencies: null, recordFrom: Infinity }

export function resetRunStats(recordLatency, recordFrom) {
  Object.assign(runStats, { delivered: 0, dups: 0, gaps: 0, lastAt: 0, latencies: recordLatency ? [] : null, recordFrom })
}

/** One socket's view: the next counter it expects from each sender of its room (messages arrive in seq order). */
export class Tracker {
  constructor(senders) {
    this.expected = new Int32Array(senders)
    /** Called with the counter when this socket hears its own message (burst mode uses it). */
    this.onOwn = null
    this.member = -1
  }

  /** Handles the clientId of one delivered chat event. */
  record(clientId) {
    const a = clientId.indexOf('-')
    const b = clientId.indexOf('-', a + 1)
    const member = +clientId.slice(a + 1, b)
    const n = +clientId.slice(b + 1)
    const expected = this.expected[member]
    runStats.delivered++
    if (n === expected) this.expected[member] = n + 1
    else if (n < expected) runStats.dups++
    else {
      runStats.gaps += n - expected
      this.expected[member] = n + 1
    }
    if (runStats.latencies) {
      const sentAt = +clientId.slice(0, a)
      if (sentAt >= runStats.recordFrom) runStats.latencies.push((nowMicros() - sentAt) / 1000)
    }
    if (member === this.member && this.onOwn) this.onOwn(n)
  }

  /** Messages still missing given how many each sender sent. */
  missing(sentByMember) {
    let missing = 0
    for (let member = 0; member < this.expected.length; member++) missing += Math.max(0, (sentByMember[member] ?? 0) - this.expected[member])
    return missing
  }
}
