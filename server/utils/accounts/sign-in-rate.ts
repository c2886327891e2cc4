import type { H3Event } from 'h3'
import { errorMessage } from '#shared/error-codes'
import { useBanter } from '../banter'
import type { SharedRates } from '../rates/shared-rates'
import { httpError } from '../request-input'
import { clientAddress } from '../session/client-address'
import { chatMetrics } from '../metrics/metrics'
import { log } from '../log/logger'

let rates: SharedRates | null = null

/**
 * Sign-ins and sign-ups per client address (NUXT_LIMITS_SIGN_INS_PER_MINUTE, 0 lifts it): one address cannot
 * claim hundreds of names a second or spray guesses over many accounts, whichever instances it reaches.
 * 429 `rate_limited` with Retry-After.
 */
export async function requireSignInRate(event: H3Event): Promise<void> {
  const { chat: { limits: { signInsPerMinute } }, rates: sharedRates } = useBanter()
  rates ??= sharedRates('sign-ins', Math.max(1, signInsPerMinute), signInsPerMinute / 60)
  const wait = await rates.take(clientAddress(event))
  if (wait === 0) return
  chatMetrics.refused('sign-ins')
  log.info('sign-in-refused', 'sign-in refused: too many from this address', { reason: 'rate', address: clientAddress(event) })
  setResponseHeader(event, 'retry-after', Math.ceil(wait / 1000))
  const refusal = httpError(429, 'rate_limited', errorMessage('rate_limited'))
  refusal.data = { ...refusal.data!, retryAfter: wait }
  throw refusal
}
