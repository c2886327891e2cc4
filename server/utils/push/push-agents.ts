import type { Agent } from 'node:http'
import type { LookupFunction } from 'node:net'
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent'

/** The agents every push is sent through, by the endpoint's scheme. */
export interface PushAgents {
  http: Agent
  https: Agent
}

export interface PushAgentOptions {
  /** Tests and development: a push service on loopback over http (NUXT_PUSH_ALLOW_INSECURE_ENDPOINTS). */
  allowLoopbackHttp: boolean
  /** Stands in for DNS in tests; dns.lookup otherwise. */
  lookup?: LookupFunction
}

/** 127.0.0.0/8 and ::1: where the test/dev push service listens. Never another private range. */
const LOOPBACK = ['127.0.0.0/8', '::1']

/**
 * request-filtering-agent checks the address actually dialled, after DNS (and an IP literal before dialling):
 * anything but a public unicast address (loopback, private, link-local such as cloud metadata, CGNAT, ULA,
 * multicast, IPv4-mapped…) is refused, so a public-looking name that resolves, or rebinds, to the server's own
 * network is not reached. https never allows loopback: only the http agent serves the loopback push service.
 */
export function createPushAgents({ allowLoopbackHttp, lookup }: PushAgentOptions): PushAgents {
  const common = { keepAlive: true, ...(lookup ? { lookup } : {}) }
  return {
    http: new RequestFilteringHttpAgent({ ...common, allowIPAddressList: allowLoopbackHttp ? LOOPBACK : [] }),
    https: new RequestFilteringHttpsAgent(common),
  }
}

/**
 * Whether a send failed because the agent refused the address. The library throws a plain Error; its message
 * ("DNS lookup 10.0.0.5(family:4, host:…) is not allowed. Because, …") is the only mark, pinned by a unit test.
 */
export function isRefusedAddress(error: unknown): boolean {
  return error instanceof Error && /^DNS lookup .+ is not allowed\./.test(error.message)
}
