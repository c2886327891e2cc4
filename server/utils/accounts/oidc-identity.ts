import { checkDisplayName, checkUsername, usernameFromDisplayName } from './name-rules'

/** The claims banter reads from an OpenID provider (the userinfo answer, checked against the ID token). */
export interface OidcClaims {
  sub: string
  preferred_username?: string
  name?: string
  email?: string
}

/**
 * The account link of an OpenID identity: `sub` is unique only within its issuer. An issuer URL has no
 * fragment (OpenID Connect Discovery 1.0, section 3), so `#` cannot occur in it and the key is unambiguous.
 */
export function oidcSubjectKey(issuer: string, sub: string): string {
  return `${issuer}#${sub}`
}

/** Longest base kept before a `-2` style suffix, so base and suffix fit a username. */
const BASE_LENGTH = 28

/**
 * Usernames to try, best first, for a new account made from these claims: preferred_username, the e-mail's
 * local part, the name, each through the name rules; then the first of them with -2 … -9; then `user-` and
 * random letters (`random` is the source of those, for tests).
 */
export function* usernameCandidates(claims: OidcClaims, random: () => string = () => Math.random().toString(36).slice(2, 8)): Generator<string> {
  const bases: string[] = []
  const consider = (check: ReturnType<typeof checkUsername>) => {
    if (check.ok && !bases.includes(check.value)) bases.push(check.value)
  }
  if (claims.preferred_username) consider(checkUsername(claims.preferred_username))
  if (claims.email) consider(usernameFromDisplayName(claims.email.split('@')[0] ?? ''))
  if (claims.name) consider(usernameFromDisplayName(claims.name))
  yield* bases
  const first = bases[0]
  if (first) {
    for (let suffix = 2; suffix <= 9; suffix++) {
      const candidate = checkUsername(`${[...first].slice(0, BASE_LENGTH).join('')}-${suffix}`)
      if (candidate.ok) yield candidate.value
    }
  }
  for (;;) yield `user-${random()}`
}

/** The display name of a new account: the name claim, else the username, whichever the rules accept. */
export function displayNameFor(claims: OidcClaims, username: string): string {
  for (const raw of [claims.name, claims.preferred_username]) {
    if (!raw) continue
    const check = checkDisplayName(raw)
    if (check.ok) return check.value
  }
  return username
}
