import * as v from 'valibot'
import { createError } from 'h3'
import type { H3Error, H3Event } from 'h3'
import { MessageIdSchema, RoomNameSchema } from '#shared/protocol'
import { issueToError } from '#shared/error-codes'
import type { ErrorCode } from '#shared/error-codes'
// Route-facing (auto-imported): what a REST route reads from its request, validated, and how it refuses.

/** The body of every REST error: the same `code` a socket client would get in an `error` event. */
export interface RefusalData {
  code: ErrorCode
  message: string
  /** Milliseconds until the request would be accepted (`slow_mode`), as in a socket `error` event. */
  retryAfter?: number
}

/** A REST refusal: an HTTP error whose `data` carries the protocol's error code. */
export function httpError(statusCode: number, code: ErrorCode, message: string): H3Error<RefusalData> {
  return createError<RefusalData>({ statusCode, statusMessage: message, message, data: { code, message } })
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

/** The room of `/api/rooms/:room…`, validated. */
export function roomParam(event: H3Event): string {
  return parseParam(RoomNameSchema, getRouterParam(event, 'room'), 'room')
}

/** The room and message id of `/api/rooms/:room/messages/:id…`, validated. */
export function messageParams(event: H3Event): { room: string, id: string } {
  return {
    room: roomParam(event),
    id: parseParam(MessageIdSchema, getRouterParam(event, 'id'), 'message id'),
  }
}
