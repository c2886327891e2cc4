import { log } from '../log/logger'
import type { LogFields } from '../log/logger'

const lastWarned = new Map<string, number>()

/** Logs a warning of this kind (its event) at most once a minute: a flood of bad requests or reconnects must not flood the log. */
export function warnAtMostEveryMinute(kind: string, message: string, now = Date.now(), fields?: LogFields): void {
  const last = lastWarned.get(kind)
  if (last !== undefined && now - last < 60_000) return
  lastWarned.set(kind, now)
  log.warn(kind, message, fields)
}
