import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { RequestDetails } from 'web-push'
import type { PushAgents } from './push-agents'

/**
 * POSTs the request web-push built (encrypted, VAPID-signed) through the filtering agents and resolves with the status; the answer's body is not read.
 * node:http follows no redirect, so an endpoint cannot bounce the server to another host. Rejects on a refused
 * address, a network error or the timeout. (fetch cannot take these agents: it dials through its own undici pool.)
 */
export function postPushRequest(details: Pick<RequestDetails, 'method' | 'endpoint' | 'headers' | 'body'>, agents: PushAgents, timeoutMs: number): Promise<number> {
  const url = new URL(details.endpoint)
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const outgoing = send(url, {
      method: details.method,
      headers: details.headers,
      agent: url.protocol === 'https:' ? agents.https : agents.http,
      signal: AbortSignal.timeout(timeoutMs),
    }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    outgoing.on('error', reject)
    outgoing.end(details.body ?? undefined)
  })
}
