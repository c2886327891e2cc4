import type { User } from '#shared/protocol'

/** Shown for `user.guest`, next to the name, wherever a name shows. */
export const GUEST_BADGE = 'guest'

/**
 * One person as plain text, for places that cannot hold markup (tooltips, accessible names, notifications):
 * "Ada Lovelace (@ada)", "Bob (@bob, guest)", or "Deleted user". The display name may repeat; the username
 * says which account it is.
 */
export function userLabel(user: User): string {
  if (user.deleted) return user.name
  return `${user.name} (@${user.username}${user.guest ? `, ${GUEST_BADGE}` : ''})`
}

/** A username as people type it: "@ada " -> "ada" (usernames hold no spaces and never start with "@"). */
export function withoutAt(typed: string): string {
  return typed.trim().replace(/^@/, '')
}
