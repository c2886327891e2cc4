/** Pure helpers for the initials avatar: the same user gets the same letters and color everywhere. */

/** Up to two initials from a display name: "Ada Lovelace" → "AL", "bob" → "B", "" → "?". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  const letters = words.slice(0, 2).map(word => Array.from(word)[0]!.toLocaleUpperCase())
  return letters.join('') || '?'
}

/** A hue (0–359) from a user id: FNV-1a hash, so it is stable across sessions and devices. */
export function avatarHue(id: string): number {
  let hash = 0x811C9DC5
  for (let index = 0; index < id.length; index++) {
    hash ^= id.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193)
  }
  return (hash >>> 0) % 360
}
