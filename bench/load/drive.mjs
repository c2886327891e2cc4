// How sender sockets send: closed-loop bursts (throughput), a fixed rate (latency), or a few broadcasts.

/** Each sender sends `burst` messages, and the next burst once it has heard its own last one; until `until`. */
export function driveBursts(senders, burst, until, done) {
  let active = senders.length
  if (active === 0) return done()
  for (const client of senders) {
    const sendBurst = () => {
      if (performance.now() >= until) {
        client.tracker.onOwn = null
        if (--active === 0) done()
        return
      }
      client.cork()
      for (let i = 0; i < burst; i++) client.sendChat(client.sent++)
      client.uncork()
    }
    client.tracker.onOwn = (n) => {
      if (n === client.sent - 1) sendBurst()
    }
    sendBurst()
  }
}

/** Sends `perSecond` messages in total, spread round-robin over the senders, until `until`. */
export function driveRate(senders, perSecond, until, done) {
  if (senders.length === 0) return done()
  const start = performance.now()
  let sent = 0
  let next = 0
  const timer = setInterval(() => {
    const now = performance.now()
    const due = Math.floor(((Math.min(now, until) - start) / 1000) * perSecond)
    for (const client of senders) client.cork()
    for (; sent < due; sent++) {
      const client = senders[next++ % senders.length]
      client.sendChat(client.sent++)
    }
    for (const client of senders) client.uncork()
    if (now >= until) {
      clearInterval(timer)
      done()
    }
  }, 2)
}

/** `count` broadcasts from the first sender, `gapMs` apart. */
export function driveBroadcasts(senders, count, gapMs, done) {
  const client = senders[0]
  if (!client) return done()
  let left = count
  const timer = setInterval(() => {
    client.sendChat(client.sent++)
    if (--left === 0) {
      clearInterval(timer)
      done()
    }
  }, gapMs)
}
