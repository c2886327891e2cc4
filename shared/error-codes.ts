/**
 * The protocol's error codes, one list for the socket's `error` events and REST's error bodies, with the
 * message a person reads for each (messages may change; codes are stable).
 */
import type * as v from 'valibot'
import { MAX_SEARCH_QUERY_LENGTH, MAX_TEXT_LENGTH } from './protocol-limits'

/** Stable error codes carried by `error` events and REST error bodies. */
export const ERROR_CODES = [
  'bad_json',
  'unknown_type',
  'invalid_event',
  'empty_text',
  'text_too_long',
  'invalid_text',
  'unknown_room',
  'not_joined',
  'invalid_seq',
  'too_many_rooms',
  'rate_limited',
  'unavailable',
  'forbidden',
  'not_found',
  'not_owner',
  'message_deleted',
  'reaction_limit',
  'pin_limit',
  'reply_not_found',
  'attachment_not_found',
  'attachment_in_use',
  'too_many_attachments',
  'internal',
  // REST only: answers to requests that have no socket twin.
  'unauthorized',
  'name_taken',
  'room_exists',
  'unknown_user',
  'invalid_name',
  'invalid_credentials',
  'weak_password',
  'too_many_attempts',
  'guests_disabled',
  'registration_closed',
  'invite_required',
  'invalid_invite',
  'suspended',
  'slow_mode',
  'last_credential',
  'cross_site',
  'body_too_large',
  'bad_body',
  'last_owner',
  'room_limit',
  'empty_query',
  'query_too_long',
  'invalid_cursor',
  'file_too_large',
  'file_type_mismatch',
  'push_off',
  'invalid_push_subscription',
  'push_endpoint_private',
  'push_subscription_limit',
  'range_not_satisfiable',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

/** Maps the first Valibot issue to a stable error code and a readable message. */
export function issueToError(issue: v.BaseIssue<unknown>): { code: ErrorCode, message: string } {
  if ((ERROR_CODES as readonly string[]).includes(issue.message)) {
    const code = issue.message as ErrorCode
    return { code, message: ERROR_MESSAGES[code] }
  }
  const path = issue.path?.map(item => String(item.key)).join('.') ?? 'event'
  return { code: 'invalid_event', message: `Invalid "${path}": ${issue.message}` }
}

const ERROR_MESSAGES: Record<ErrorCode, string> = {
  bad_json: 'The frame is not valid JSON.',
  unknown_type: 'Unknown event type.',
  invalid_event: 'The event has a missing or invalid field.',
  empty_text: 'A message cannot be empty.',
  text_too_long: `A message is at most ${MAX_TEXT_LENGTH} characters.`,
  invalid_text: 'A message must be plain Unicode text: no control characters, lone surrogates or piles of combining marks.',
  unknown_room: 'There is no room with that name.',
  not_joined: 'Join the room before sending to it.',
  invalid_seq: 'That seq is ahead of the room: resume from a seq you have seen.',
  too_many_rooms: 'This connection has joined too many rooms: leave one first.',
  rate_limited: 'Too many events: wait a moment before sending again.',
  forbidden: 'This room is private: only its members can see it.',
  not_found: 'There is no such message in that room.',
  not_owner: 'Only the author of a message can change it.',
  message_deleted: 'That message was deleted.',
  reaction_limit: 'That message has as many reactions as it may: use one of those already there.',
  pin_limit: 'This room has as many pinned messages as it may: unpin one first.',
  reply_not_found: 'There is no such message in this room to reply to.',
  attachment_not_found: 'There is no such upload of yours in this room to attach.',
  attachment_in_use: 'That upload is already attached to another message.',
  too_many_attachments: 'A message carries too many attachments.',
  unavailable: 'Storage is unreachable for the moment: the message was not stored. Try again shortly.',
  internal: 'Something went wrong on the server.',
  unauthorized: 'Sign in first.',
  name_taken: 'That name is in use: pick another one.',
  room_exists: 'A room with that name already exists.',
  unknown_user: 'Nobody is signed in under that name.',
  invalid_name: 'That name cannot be used.',
  invalid_credentials: 'Wrong username or password.',
  weak_password: 'Choose a password of at least 8 characters.',
  too_many_attempts: 'Too many failed sign-ins: wait a while before trying again.',
  guests_disabled: 'This workspace does not take guests: sign in with an account.',
  registration_closed: 'This workspace is not taking new accounts.',
  invite_required: 'This workspace is invite-only: ask someone in it for an invite link.',
  invalid_invite: 'That invite link is invalid, expired or used up.',
  suspended: 'This account is suspended.',
  slow_mode: 'Slow mode is on in this room: wait before sending again.',
  cross_site: 'This request came from another site.',
  body_too_large: 'The request body is too large.',
  bad_body: 'Request bodies must be JSON and say their length.',
  last_credential: 'That is your only way to sign in: add a password or another passkey first.',
  last_owner: 'You are this room\'s last owner: make another member an owner before you leave.',
  room_limit: 'You have created as many rooms as one person may: ask a workspace admin for more.',
  empty_query: 'Type a word to search for.',
  query_too_long: `A search is at most ${MAX_SEARCH_QUERY_LENGTH} characters.`,
  invalid_cursor: 'That page of results does not exist: search again.',
  file_too_large: 'That file is larger than the server accepts.',
  file_type_mismatch: 'The file\'s contents are not of the type it claims to be.',
  push_off: 'Push notifications are not set up on this server.',
  invalid_push_subscription: 'That push subscription cannot be used: its endpoint must be a public HTTPS push service and its keys a browser\'s.',
  push_endpoint_private: 'That push service\'s name leads to a private network address, which this server will not call.',
  push_subscription_limit: 'You have as many devices subscribed to notifications as one person may: remove one first.',
  range_not_satisfiable: 'That part of the file lies beyond its end.',
}

export function errorMessage(code: ErrorCode): string {
  return ERROR_MESSAGES[code]
}
