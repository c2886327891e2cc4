import * as v from 'valibot'
import type { H3Event } from 'h3'
import { isError } from 'h3'
import { useBanter } from '../banter'
import { httpError } from '../request-input'
import type { RefusalData } from '../request-input'
import type { Account } from '../storage/account-types'
import { registerAccount } from './accounts'
import { displayNameFor, oidcSubjectKey, usernameCandidates } from './oidc-identity'
import type { OidcClaims } from './oidc-identity'

/** Single sign-on is on when the operator set a client id and the provider's configuration (NUXT_OAUTH_OIDC_*). */
export function oidcConfigured(event?: H3Event): boolean {
  const { clientId, openidConfig } = useRuntimeConfig(event).oauth.oidc
  return Boolean(clientId && openidConfig)
}

const ClaimString = v.optional(v.pipe(v.string(), v.maxLength(256)))
const IdTokenClaimsSchema = v.object({
  iss: v.pipe(v.string(), v.minLength(1)),
  sub: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  aud: v.union([v.string(), v.array(v.string())]),
  exp: v.number(),
  preferred_username: v.optional(v.unknown()),
  name: v.optional(v.unknown()),
  email: v.optional(v.unknown()),
})
const UserinfoSchema = v.looseObject({ sub: v.string(), preferred_username: v.optional(v.unknown()), name: v.optional(v.unknown()), email: v.optional(v.unknown()) })

const invalidToken = (why: string) => httpError(401, 'invalid_credentials', `Single sign-on failed: ${why}.`)
const stringClaim = (value: unknown) => v.is(ClaimString, value) ? value : undefined

/** The issuer each discovery document names, by its URL: it does not change while the server runs. */
const issuers = new Map<string, Promise<string>>()

async function expectedIssuer(openidConfig: unknown): Promise<string | undefined> {
  if (typeof openidConfig === 'object' && openidConfig && 'issuer' in openidConfig) return String(openidConfig.issuer)
  if (typeof openidConfig !== 'string') return undefined
  let issuer = issuers.get(openidConfig)
  if (!issuer) {
    issuer = $fetch<{ issuer: string }>(openidConfig).then(document => document.issuer)
    issuers.set(openidConfig, issuer)
    issuer.catch(() => issuers.delete(openidConfig))
  }
  return issuer
}

/**
 * Who the provider says signed in. nuxt-auth-utils 0.5 checks the ID token's nonce but reads the token without
 * checking it otherwise: here its issuer (the discovery document's), audience (our client id), expiry and
 * subject are checked, and the userinfo answer must be about the same subject (OpenID Connect Core 5.3.2).
 * The token came straight from the token endpoint, which Core 3.1.3.7 accepts instead of a signature check.
 */
export async function verifiedClaims(event: H3Event, tokens: { id_token?: string }, userinfo: unknown): Promise<{ issuer: string, claims: OidcClaims }> {
  const config = useRuntimeConfig(event).oauth.oidc
  const payload = tokens.id_token?.split('.')[1]
  if (!payload) throw invalidToken('the provider sent no ID token')
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
  }
  catch {
    throw invalidToken('the ID token is not readable')
  }
  const token = v.safeParse(IdTokenClaimsSchema, decoded)
  if (!token.success) throw invalidToken('the ID token lacks its issuer, subject, audience or expiry')
  const { iss, sub, aud, exp } = token.output
  const issuer = await expectedIssuer(config.openidConfig)
  if (issuer !== undefined && iss !== issuer) throw invalidToken('the ID token comes from another issuer')
  if (!(Array.isArray(aud) ? aud : [aud]).includes(config.clientId)) throw invalidToken('the ID token is for another client')
  if (exp * 1000 <= Date.now()) throw invalidToken('the ID token has expired')
  const info = v.safeParse(UserinfoSchema, userinfo)
  if (userinfo && Object.keys(userinfo).length > 0 && (!info.success || info.output.sub !== sub)) {
    throw invalidToken('the userinfo answer is about someone else')
  }
  const extra: Partial<v.InferOutput<typeof UserinfoSchema>> = info.success ? info.output : {}
  return {
    issuer: iss,
    claims: {
      sub,
      preferred_username: stringClaim(extra.preferred_username) ?? stringClaim(token.output.preferred_username),
      name: stringClaim(extra.name) ?? stringClaim(token.output.name),
      email: stringClaim(extra.email) ?? stringClaim(token.output.email),
    },
  }
}

/** Tries this many usernames for a new account before giving up (the last ones are random). */
const USERNAME_ATTEMPTS = 12

const isNameTaken = (error: unknown) => isError<RefusalData>(error) && error.data?.code === 'name_taken'

/**
 * The account linked to this identity (issuer and sub), or a new one on its first sign-in, under the registration
 * rules (the first account of a workspace becomes its owner; a closed workspace takes nobody new).
 */
export async function accountForOidc(issuer: string, claims: OidcClaims): Promise<Account> {
  const { storage } = useBanter()
  const subject = oidcSubjectKey(issuer, claims.sub)
  const linked = await storage.accountByOidcSubject(subject)
  if (linked) return linked
  let attempts = 0
  for (const username of usernameCandidates(claims)) {
    if (++attempts > USERNAME_ATTEMPTS) break
    try {
      return await registerAccount({ username, displayName: displayNameFor(claims, username), oidcSubject: subject })
    }
    catch (error) {
      if (!isNameTaken(error)) throw error
      // A concurrent first sign-in of the same person may have created the account meanwhile.
      const created = await storage.accountByOidcSubject(subject)
      if (created) return created
    }
  }
  throw httpError(409, 'name_taken', 'No free username could be made from your single sign-on profile.')
}
