import * as v from 'valibot'
import type { H3Event } from 'h3'
import { errorMessage, issueToError } from '#shared/protocol'
import type { ErrorCode } from '#shared/protocol'
import { ChatError } from './chat-service'
import { isStorageUnavailable } from './storage/unavailable'

/** HTTP status for each protocol error code that REST can produce. */
const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  unknown_room: 404,
  forbidden: 403,
  not_found: 404,
  not_owner: 403,
  message_deleted: 409,
  internal: 500,
}

/** A REST error with the same `code` a socket client would get in an `error` event. */
export function httpError(statusCode: number, code: string, message: string) {
  return createError({ statusCode, statusMessage: message, message, data: { code, message } })
}

export function chatErrorToHttp(error: unknown): unknown {
  if (isStorageUnavailable(error)) return httpError(503, 'unavailable', errorMessage('unavailable'))
  if (!(error instanceof ChatError)) return error
  return httpError(STATUS_BY_CODE[error.code] ?? 400, error.code, error.message)
}

/** Reads and validates a JSON body; a bad body is a 400 carrying the protocol's error code. */
export async function readBodyAs<TSchema extends v.GenericSchema>(event: H3Event, schema: TSchema): Promise<v.InferOutput<TSchema>> {
  let body: unknown
  try {
    body = await readBody(event)
  }
  catch {
    throw httpError(400, 'bad_json', 'The body is not valid JSON.')
  }
  const result = v.safeParse(schema, body ?? {})
  if (result.success) return result.output
  const issue = result.issues[0]
  // Schema messages written for people (names, rooms) are passed through; error-code messages are mapped.
  const { code, message } = issueToError(issue)
  throw httpError(400, code, code === 'invalid_event' ? issue.message : message)
}

/** Validates a query or route parameter value. */
export function parseParam<TSchema extends v.GenericSchema>(schema: TSchema, value: unknown, what: string): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, value)
  if (result.success) return result.output
  throw httpError(400, 'invalid_event', `Invalid ${what}: ${result.issues[0].message}`)
}
