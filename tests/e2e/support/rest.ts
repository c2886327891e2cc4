import { expect } from 'vitest'
import type { ErrorCode } from '#shared/error-codes'

/** Checks a REST refusal: its HTTP status, and the protocol's error code its body carries. */
export async function expectRefusal(response: Response | Promise<Response>, status: number, code: ErrorCode): Promise<void> {
  const answer = await response
  const body = await answer.json()
  expect({ status: answer.status, code: body.data?.code }).toEqual({ status, code })
}
