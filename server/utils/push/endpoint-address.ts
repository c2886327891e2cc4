import { lookup as dnsLookup } from 'node:dns'
import type { LookupAddress } from 'node:dns'
import type { LookupFunction } from 'node:net'
import ipaddr from 'ipaddr.js'

/** A subscription is not held up by a slow resolver: past this, the check at send time decides alone. */
const LOOKUP_TIMEOUT_MS = 3_000

/** The rule request-filtering-agent applies at connect time (push-agents.ts): only public unicast addresses. */
const isPublicAddress = (address: string) => ipaddr.isValid(address) && ipaddr.parse(address).range() === 'unicast'

/**
 * Whether the endpoint's host name resolves, now, to an address the server may not call: the early answer at
 * subscribe time, so the user learns at once. Not the guard: DNS can answer otherwise later (rebinding); the
 * agents check the address actually dialled. A name that does not resolve (or not in time) is not refused here.
 */
export async function resolvesToPrivateAddress(endpoint: string, lookup: LookupFunction = dnsLookup): Promise<boolean> {
  const hostname = new URL(endpoint).hostname
  const addresses = await new Promise<LookupAddress[]>((resolve) => {
    const timer = setTimeout(() => resolve([]), LOOKUP_TIMEOUT_MS)
    lookup(hostname, { all: true }, (error, answer) => {
      clearTimeout(timer)
      resolve(error ? [] : answer as unknown as LookupAddress[])
    })
  })
  return addresses.some(({ address }) => !isPublicAddress(address))
}
