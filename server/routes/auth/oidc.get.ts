import type { H3Event } from 'h3'
import { isError } from 'h3'
import type { RefusalData } from '#server/utils/request-input'
import { requireNotSuspended } from '#server/utils/accounts/accounts'
import { accountForOidc, oidcConfigured, verifiedClaims } from '#server/utils/accounts/oidc-sign-in'
import { startSession } from '#server/utils/session/sessions'
import { requireSignInRate } from '#server/utils/accounts/sign-in-rate'
import { isStorageUnavailable } from '#server/utils/storage/unavailable'
import { log } from '#server/utils/log/logger'

/** Back to the sign-in page with the refusal's code, which the page explains (the code is from ERROR_CODES). */
function refuse(event: H3Event, error: unknown) {
  const refusal = isError<RefusalData>(error) ? error.data?.code : undefined
  if (!refusal) log.info('sign-in-refused', `single sign-on failed: ${(error as Error).message}`, { method: 'oidc' })
  const code = refusal ?? (isStorageUnavailable(error) ? 'unavailable' : 'invalid_credentials')
  return sendRedirect(event, `/?sso_error=${code}`)
}

/**
 * Single sign-on with the OpenID provider of NUXT_OAUTH_OIDC_* (404 when none is configured). The first visit
 * redirects to the provider; its callback finds the account linked to the identity or creates it, and always
 * starts a new session, whatever cookie the browser brought.
 */
export default defineEventHandler((event) => {
  if (!oidcConfigured(event)) throw httpError(404, 'not_found', 'Single sign-on is not configured here.')
  // A new handler per request: nuxt-auth-utils 0.5 merges the runtime config into its `config` argument on every
  // request (defu concatenates arrays), so a shared one would grow its scope list by one entry per sign-in.
  return defineOAuthOidcEventHandler({
    config: { scope: ['profile', 'email'] },
    async onSuccess(event, { user, tokens }) {
      try {
        // The provider vouched for someone; making or finding their account is a sign-in like any other.
        await requireSignInRate(event)
        const { issuer, claims } = await verifiedClaims(event, tokens, user)
        const account = await accountForOidc(issuer, claims)
        requireNotSuspended(account)
        await startSession(event, account)
      }
      catch (error) {
        return refuse(event, error)
      }
      return sendRedirect(event, '/')
    },
    onError: (event, error) => refuse(event, error),
  })(event)
})
