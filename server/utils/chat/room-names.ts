import { nameSkeleton } from '../accounts/name-rules'

/**
 * A room name's look-alike key: rooms other than direct messages are unique on it, so `genera1`, `generai` or
 * `qeneral` cannot stand beside `general` in everyone's room list. It is the usernames' UTS #39 skeleton (1, I,
 * i and l are one; 0 and o; rn and m) plus two ASCII pairs that confusables.txt leaves apart but that read alike
 * at a glance in a short lowercase slug: q and g, vv and w. Not t and l or cl and d: they kept ordinary names
 * apart (`lint` and `tint`, `clone` and `done`, `cat` and `cal`).
 */
export function roomNameKey(name: string): string {
  return nameSkeleton(name).replace(/q/g, 'g').replace(/w/g, 'vv')
}

/** The key a new room is stored with: none for a direct message, whose name only the server makes and nobody sees. */
export const storedRoomNameKey = (name: string, kind?: 'private' | 'dm'): string | null =>
  kind === 'dm' ? null : roomNameKey(name)
