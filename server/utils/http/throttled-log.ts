const lastWarned = new Map<string, number>()

/** Logs a warning of this kind at most once a minute: a flood of bad requests must not flood the log. */
export function warnAtMostEveryMinute(kind: string, message: string, now = Date.now()): void {
  const last = lastWarned.get(kind)
  if (last !== undefined && now - last < 60_000) return
  lastWarned.set(kind, now)
  console.warn(message)
}
