/**
 * What this browser keeps for one signed-in user in localStorage, under `banter:<what>:<user id>`: per user, so a
 * browser shared by two people never hands one's unsent words to the other. Storage blocked, full or holding
 * something unreadable only costs what would have been kept. Each kind's prefix goes in `utils/offline-data.ts`,
 * which clears it at sign-out.
 */
const KEPT_PER_USER_PREFIX = 'banter:'

export interface KeptPerUser<T> {
  /** The key prefix of this kind of kept data (`banter:<what>:`). */
  readonly prefix: string
  /** What was kept for this user, or `empty` when nothing (or nothing readable) was. */
  read(userId: string): T
  /** Keeps `value` for this user; an empty one removes the key. */
  write(userId: string, value: T): void
}

export function keptPerUser<T>(what: string, parse: (data: unknown) => T, isEmpty: (value: T) => boolean, empty: () => T): KeptPerUser<T> {
  const prefix = `${KEPT_PER_USER_PREFIX}${what}:`
  return {
    prefix,
    read(userId) {
      try {
        const stored = localStorage.getItem(`${prefix}${userId}`)
        return stored === null ? empty() : parse(JSON.parse(stored))
      }
      catch {
        return empty()
      }
    },
    write(userId, value) {
      try {
        if (isEmpty(value)) localStorage.removeItem(`${prefix}${userId}`)
        else localStorage.setItem(`${prefix}${userId}`, JSON.stringify(value))
      }
      catch {
        // Not kept: it stays while this page is open.
      }
    },
  }
}
