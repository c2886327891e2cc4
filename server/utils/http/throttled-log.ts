import { log } from '../log/logger'
import type { LogFields } from '../log/logger'

interface Throttle {
  lastLoggedAt: number
  /** Lines of this kind left out since the last one logged. */
  suppressed: number
}

const throttles = new Map<string, Throttle>()
/** Kinds carry a client address at times: past this many, kinds quiet for a minute are forgotten. */
const MAX_KINDS = 10_000

/** Whether a line of this kind may be logged now, and how many were left out before it. */
function admit(kind: string, now: number): { admitted: boolean, suppressed: number } {
  const throttle = throttles.get(kind)
  if (throttle && now - throttle.lastLoggedAt < 60_000) {
    throttle.suppressed++
    return { admitted: false, suppressed: 0 }
  }
  if (!throttle && throttles.size >= MAX_KINDS) {
    for (const [key, { lastLoggedAt }] of throttles) if (now - lastLoggedAt >= 60_000) throttles.delete(key)
  }
  throttles.set(kind, { lastLoggedAt: now, suppressed: 0 })
  return { admitted: true, suppressed: throttle?.suppressed ?? 0 }
}

/** The log event of a kind: `address-connections:203.0.113.7` is throttled per address, logged as one event. */
const eventOf = (kind: string) => kind.split(':')[0]!

const withSuppressed = (fields: LogFields | undefined, suppressed: number): LogFields | undefined =>
  suppressed > 0 ? { ...fields, suppressedLastMinute: suppressed } : fields

/** Logs a warning of this kind at most once a minute: a flood of bad requests or reconnects must not flood the log. */
export function warnAtMostEveryMinute(kind: string, message: string, now = Date.now(), fields?: LogFields): void {
  const { admitted, suppressed } = admit(kind, now)
  if (admitted) log.warn(eventOf(kind), message, withSuppressed(fields, suppressed))
}

/** Logs an error (its stack under `err`) of this kind at most once a minute. */
export function errorAtMostEveryMinute(kind: string, message: string, error: unknown, now = Date.now()): void {
  const { admitted, suppressed } = admit(kind, now)
  if (admitted) log.error(eventOf(kind), message, withSuppressed({ err: error }, suppressed))
}
