/** A name stays claimed this long after its holder was last active. */
export const NAME_HOLD_MS = 24 * 60 * 60 * 1000

/** Activity is written at most this often per user, so every request does not become a write. */
const TOUCH_INTERVAL_MS = 60 * 1000
const lastTouched = new Map<string, number>()

/** True when the activity of `userId` should be written now. */
export function shouldTouch(userId: string, now: number): boolean {
  const last = lastTouched.get(userId)
  if (last !== undefined && now - last < TOUCH_INTERVAL_MS) return false
  lastTouched.set(userId, now)
  return true
}

export function forgetTouch(userId: string): void {
  lastTouched.delete(userId)
}
