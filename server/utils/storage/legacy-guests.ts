import { checkDisplayName, usernameFromDisplayName } from '../accounts/name-rules'
import type { NewAccount } from './account-types'

/** Someone who used banter before accounts existed: a name claim or the author of a message. */
export interface LegacyIdentity {
  userId: string
  name: string
  firstSeen: number
}

/** Marks the one-time conversion of legacy identities as done, in workspace_settings. */
export const LEGACY_GUESTS_SETTING = 'legacy_guests_converted'

/**
 * The guest accounts that carry pre-accounts users over: each keeps its id (so its messages, memberships and
 * read markers stay its own) and its name as display name; its username is that name made valid, or
 * `guest-<id>` when it is not valid or a look-alike of one taken before it (earlier users win).
 */
export function planLegacyGuests(identities: readonly LegacyIdentity[], keyTaken: (key: string) => boolean): NewAccount[] {
  const taken = new Set<string>()
  const accounts: NewAccount[] = []
  const seen = new Set<string>()
  for (const identity of [...identities].sort((a, b) => a.firstSeen - b.firstSeen)) {
    if (seen.has(identity.userId)) continue
    seen.add(identity.userId)
    let username = usernameFromDisplayName(identity.name)
    if (!username.ok || taken.has(username.key) || keyTaken(username.key)) {
      username = usernameFromDisplayName(`guest-${identity.userId.replace(/[^a-z0-9]/gi, '').slice(0, 12)}`)
    }
    if (!username.ok) continue
    taken.add(username.key)
    const display = checkDisplayName(identity.name)
    accounts.push({
      id: identity.userId,
      username: username.value,
      usernameKey: username.key,
      displayName: display.ok ? display.value : username.value,
      role: 'guest',
      passwordHash: null,
      now: identity.firstSeen,
      ownerIfFirst: false,
    })
  }
  return accounts
}

/**
 * Every pre-accounts user once: the name they hold (or last wrote under) and when they were first seen.
 * Plain SQL both storages run, with `{schema}` replaced by the PostgreSQL schema prefix (or nothing).
 */
export const LEGACY_IDENTITIES_SQL = `
  WITH latest AS (
    SELECT user_id, user_name, ts, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) AS position FROM {schema}messages
  ), seen AS (
    SELECT user_id, last_seen AS at FROM {schema}name_claims
    UNION ALL SELECT user_id, MIN(ts) FROM {schema}messages GROUP BY user_id
  )
  SELECT seen.user_id AS "userId", COALESCE(MIN(claim.name), MIN(latest.user_name)) AS name, MIN(seen.at) AS "firstSeen"
  FROM seen
  LEFT JOIN {schema}name_claims claim ON claim.user_id = seen.user_id
  LEFT JOIN latest ON latest.user_id = seen.user_id AND latest.position = 1
  WHERE NOT EXISTS (SELECT 1 FROM {schema}users WHERE users.id = seen.user_id)
  GROUP BY seen.user_id`
