import { expect } from 'vitest'
import type { ErrorCode } from '#shared/error-codes'

/** Checks a REST refusal: its HTTP status, and the protocol's error code its body carries. */
export async function expectRefusal(response: Response | Promise<Response>, status: number, code: ErrorCode): Promise<void> {
  const answer = await response
  const body = await answer.json()
  expect({ status: answer.status, code: body.data?.code }).toEqual({ status, code })
}

/**
 * A JSON call as the web app makes it (its Origin, the user's cookie): the status and the parsed body. `baseURL`
 * is read at call time, since the server starts in a `beforeAll`.
 */
export function jsonCaller(baseURL: () => string) {
  return async (method: string, path: string, cookie: string, body?: unknown) => {
    const response = await fetch(`${baseURL()}${path}`, {
      method,
      headers: { origin: baseURL(), cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: await response.json() }
  }
}
