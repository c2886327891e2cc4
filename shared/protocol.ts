/**
 * The banter wire protocol: every event that crosses the WebSocket, as Valibot schemas.
 * The server, the REST routes and the Pinia store all import this module; docs/protocol.md is its prose twin.
 */
import * as v from 'valibot'
import { ERROR_CODES, errorMessage, issueToError } from './error-codes'
import type { ErrorCode } from './error-codes'
import { ChatTextSchema, ClientIdSchema, EmojiSchema, MessageIdSchema, MessageTextSchema } from './text-rules'
import { MAX_ATTACHMENT_IDS } from './protocol-limits'
import { RoomNotificationChoiceSchema } from './notification-levels'
import { ChatMessageSchema, RoomSchema, UserSchema } from './message-schemas'
import { fastCheck } from './fast-check'
import type { ChatMessage } from './message-schemas'

export { ChatTextSchema, ClientIdSchema, EmojiSchema, MAX_COMBINING_MARKS, MessageIdSchema, MessageTextSchema } from './text-rules'
export * from './message-schemas'
export * from './rest-answers'

/** Bumped on every change to the events below; sent to clients in `welcome`. */
export const PROTOCOL_VERSION = 9

/** Where the live stream is served (the file server/routes/_ws.ts). */
export const SOCKET_PATH = '/_ws'

/** The room every installation starts with. */
export const DEFAULT_ROOM = 'general'

export const RoomNameSchema = v.pipe(
  v.string(),
  v.regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'Room names are 1 to 32 characters: lowercase letters, digits and hyphens, not starting with a hyphen.'),
)

/** Direct messages' rooms are named `dm-…` by the server: nobody may create a room under such a name. */
export const DIRECT_MESSAGE_PREFIX = 'dm-'
/** Whether a room is a direct conversation: nobody else may name a room so, so the name alone tells. */
export const isDirectRoom = (room: string): boolean => room.startsWith(DIRECT_MESSAGE_PREFIX)

/** The name of a room someone creates: a room name that is not reserved for direct messages. */
export const NewRoomNameSchema = v.pipe(
  RoomNameSchema,
  v.check(name => !name.startsWith(DIRECT_MESSAGE_PREFIX), `Room names starting with "${DIRECT_MESSAGE_PREFIX}" are kept for direct messages.`),
)

export const UserNameSchema = v.pipe(
  v.string('A name is required.'),
  v.trim(),
  v.minLength(1, 'A name needs at least one character.'),
  v.maxLength(32, 'A name is at most 32 characters.'),
  // eslint-disable-next-line no-control-regex
  v.regex(/^[^\u0000-\u001F\u007F-\u009F]*$/, 'A name cannot contain control characters.'),
)

/** A workspace role: the owner (the first account), admins, members, and guests (who only picked a name). */
export const WorkspaceRoleSchema = v.picklist(['owner', 'admin', 'member', 'guest'])
export type WorkspaceRole = v.InferOutput<typeof WorkspaceRoleSchema>


// Client to server: one event per frame.

/** A room's message number: 0 means "before the first message". */
export const SeqSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER))

/**
 * `after` resumes a room: the server replays the messages with a greater seq, then goes live.
 * `follow: true` joins without being present: the room's messages and updates arrive (for unread counts),
 * but the connection is not in its presence list, gets no presence or typing events and announces nothing.
 * A later `join` of the same room without `follow` makes the connection present, and one with it steps back.
 */
export const JoinEventSchema = v.object({
  type: v.literal('join'),
  room: RoomNameSchema,
  after: v.optional(SeqSchema),
  follow: v.optional(v.boolean()),
})
export const LeaveEventSchema = v.object({ type: v.literal('leave'), room: RoomNameSchema })
/** What a new message replies to, over the socket (`chat`) and REST (`POST …/messages`) alike. */
export const ReplyFieldsSchema = v.object({
  /** Quotes this message of the same room (refused with `reply_not_found` otherwise). */
  replyTo: v.optional(MessageIdSchema),
  /** Posts into the thread under this message of the same room (its root's thread, when it is itself a thread reply). */
  threadId: v.optional(MessageIdSchema),
  /** With `threadId`: the reply shows in the room's timeline too. */
  alsoToRoom: v.optional(v.boolean()),
})
export type ReplyFields = v.InferOutput<typeof ReplyFieldsSchema>

/**
 * What a new message says, over the socket and REST alike: its text, which may be empty only when it carries
 * attachments (ids of the sender's own uploads to the same room, not attached yet), and its reply fields.
 */
export const NewMessageFieldsSchema = v.object({
  text: MessageTextSchema,
  clientId: ClientIdSchema,
  attachments: v.optional(v.pipe(v.array(MessageIdSchema), v.maxLength(MAX_ATTACHMENT_IDS, 'too_many_attachments'))),
  ...ReplyFieldsSchema.entries,
})
/** A new message's extras beyond text: reply fields and attachment ids. */
export type MessageExtras = ReplyFields & { attachments?: string[] }

export const ChatEventSchema = v.object({
  type: v.literal('chat'),
  room: RoomNameSchema,
  ...NewMessageFieldsSchema.entries,
})

/** "I am typing in this room": sent at most every 2 s while the user types. */
export const TypingEventSchema = v.object({ type: v.literal('typing'), room: RoomNameSchema })
/** Whether this tab is visible: a user is `away` when all their tabs are hidden. */
export const VisibilityEventSchema = v.object({ type: v.literal('visibility'), visible: v.boolean() })


/** Changes to an existing message; only its author may edit or delete it, anyone in the room may react. */
export const EditEventSchema = v.object({ type: v.literal('edit'), room: RoomNameSchema, id: MessageIdSchema, text: ChatTextSchema })
export const DeleteEventSchema = v.object({ type: v.literal('delete'), room: RoomNameSchema, id: MessageIdSchema })
export const ReactEventSchema = v.object({ type: v.literal('react'), room: RoomNameSchema, id: MessageIdSchema, emoji: EmojiSchema })
/** Pins a message for everyone in the room (anyone in it may); only its pinner or a moderator unpins it. */
export const PinEventSchema = v.object({ type: v.literal('pin'), room: RoomNameSchema, id: MessageIdSchema })
export const UnpinEventSchema = v.object({ type: v.literal('unpin'), room: RoomNameSchema, id: MessageIdSchema })

/** "I have read this room up to `seq`": stored on the server, so it follows the user to other tabs and devices. */
export const ReadEventSchema = v.object({ type: v.literal('read'), room: RoomNameSchema, seq: SeqSchema })
/** "I have read the thread under `rootId` up to `seq`": kept on the server, like a room's read marker. */
export const ThreadReadEventSchema = v.object({ type: v.literal('thread-read'), room: RoomNameSchema, rootId: MessageIdSchema, seq: SeqSchema })

export const ClientEventSchema = v.variant('type', [
  JoinEventSchema, LeaveEventSchema, ChatEventSchema, TypingEventSchema, VisibilityEventSchema, ReadEventSchema,
  ThreadReadEventSchema, EditEventSchema, DeleteEventSchema, ReactEventSchema, PinEventSchema, UnpinEventSchema,
])
export type ClientEvent = v.InferOutput<typeof ClientEventSchema>
export const CLIENT_EVENT_TYPES: readonly ClientEvent['type'][] = ClientEventSchema.options.map(option => option.entries.type.literal)

/** How a user is present in a room: `offline` only appears in deltas, for someone who left. */
export const PresenceStateSchema = v.picklist(['online', 'away', 'offline'])
export type PresenceState = v.InferOutput<typeof PresenceStateSchema>
export const PresenceEntrySchema = v.object({ user: UserSchema, state: PresenceStateSchema })
export type PresenceEntry = v.InferOutput<typeof PresenceEntrySchema>

// Server to client: one or more events per frame, separated by "\n".

/** The server's limits a client must respect, sent in `welcome` so the client never keeps a copy. */
export const ClientLimitsSchema = v.object({
  /** Rooms one connection may be in (present or following) at once. */
  maxRoomsPerConnection: v.number(),
})
export type ClientLimits = v.InferOutput<typeof ClientLimitsSchema>

export const ServerEventSchema = v.variant('type', [
  v.object({ type: v.literal('welcome'), user: UserSchema, version: v.number(), heartbeatMs: v.number(), limits: ClientLimitsSchema }),
  // `recovered` answers a join with `after`: true when every missed message was replayed before this event.
  v.object({ type: v.literal('joined'), room: v.string(), lastSeq: v.number(), recovered: v.optional(v.boolean()) }),
  v.object({ type: v.literal('left'), room: v.string() }),
  v.object({ type: v.literal('chat'), ...ChatMessageSchema.entries }),
  v.object({ type: v.literal('ack'), clientId: v.string(), id: v.string(), seq: v.number(), ts: v.number() }),
  v.object({
    type: v.literal('system'),
    room: v.string(),
    kind: v.picklist(['join', 'leave']),
    user: UserSchema,
    ts: v.number(),
  }),
  // A room you can see was created or changed (topic, slow mode, members): replaces what you knew of it.
  v.object({ type: v.literal('room'), room: RoomSchema }),
  // You are no longer a member of this private room (removed, or you left): forget it. Sent to all your tabs.
  v.object({ type: v.literal('room-removed'), room: v.string() }),
  // Who is in the room: the whole list after a join (`snapshot: true`), then only the users that changed.
  v.object({ type: v.literal('presence'), room: v.string(), snapshot: v.boolean(), users: v.array(PresenceEntrySchema) }),
  // Someone started (`active: true`) or stopped typing; it stops by itself 5 s after the last `typing`.
  v.object({ type: v.literal('typing'), room: v.string(), user: UserSchema, active: v.boolean() }),
  // A stored message changed (edited, deleted, reacted to): the whole message, same id and seq.
  v.object({ type: v.literal('update'), message: ChatMessageSchema }),
  // You were @mentioned in `message` (sent to all your connections, whichever room they are in).
  v.object({ type: v.literal('notification'), message: ChatMessageSchema }),
  // You changed your notification level or mute in a room (from any tab or device): sent to your connections only.
  v.object({ type: v.literal('notification-choice'), room: v.string(), ...RoomNotificationChoiceSchema.entries }),
  // Another member of a direct message or small private room has read it up to `seq` (both share read receipts).
  v.object({ type: v.literal('receipt'), room: v.string(), userId: v.string(), seq: v.number() }),
  // Your read marker moved (from any of your tabs or devices): sent to your connections only.
  v.object({ type: v.literal('read'), room: v.string(), seq: v.number() }),
  // Your read place in a thread moved (from any of your tabs or devices): sent to your connections only.
  v.object({ type: v.literal('thread-read'), room: v.string(), rootId: v.string(), seq: v.number() }),
  // Sent when a connection has heard nothing else for a heartbeat interval, so silence means a dead link.
  v.object({ type: v.literal('heartbeat'), ts: v.number() }),
  v.object({
    type: v.literal('error'),
    code: v.picklist(ERROR_CODES),
    message: v.string(),
    ref: v.optional(v.nullable(v.string())),
    /** With `rate_limited` and `slow_mode`: milliseconds until the event would be accepted. */
    retryAfter: v.optional(v.number()),
  }),
])
export type ServerEvent = v.InferOutput<typeof ServerEventSchema>
export type ServerEventOf<T extends ServerEvent['type']> = Extract<ServerEvent, { type: T }>

// Every frame either way goes through one of these first; the schema runs only when they cannot vouch for it.
const isPlainClientEvent = fastCheck(ClientEventSchema)
const isPlainServerEvent = fastCheck(ServerEventSchema)

/** Parse result for one client frame: the event, or the error to send back. */
export type ParsedClientFrame =
  | { ok: true, event: ClientEvent }
  | { ok: false, code: ErrorCode, message: string, ref: string | null }

/** Turns one raw text frame into a validated client event or a typed error. */
export function parseClientFrame(raw: string): ParsedClientFrame {
  let data: unknown
  try {
    data = JSON.parse(raw)
  }
  catch {
    return { ok: false, code: 'bad_json', message: 'The frame is not valid JSON.', ref: null }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, code: 'invalid_event', message: 'An event is a JSON object with a "type".', ref: null }
  }
  const record = data as Record<string, unknown>
  const ref = typeof record.clientId === 'string' ? record.clientId : null
  if (!(CLIENT_EVENT_TYPES as readonly unknown[]).includes(record.type)) {
    return { ok: false, code: 'unknown_type', message: `Unknown event type: ${JSON.stringify(record.type ?? null)}.`, ref }
  }
  const result = isPlainClientEvent(data) ? { success: true as const, output: data as ClientEvent } : v.safeParse(ClientEventSchema, data)
  if (result.success) {
    // Checked after the schema (a variant's options are plain objects): blank text needs attachments to carry.
    const event = result.output
    if (event.type === 'chat' && event.text.trim() === '' && !event.attachments?.length) {
      return { ok: false, code: 'empty_text', message: errorMessage('empty_text'), ref }
    }
    return { ok: true, event }
  }
  return { ok: false, ...issueToError(result.issues[0]), ref }
}

/** The ack for a stored message, answering the `chat` event (or REST post) that carried its clientId. */
export function ackFor(message: ChatMessage): ServerEventOf<'ack'> {
  return { type: 'ack', clientId: message.clientId, id: message.id, seq: message.seq, ts: message.ts }
}

/** Encodes server events as one NDJSON frame. */
export function encodeServerEvents(events: readonly ServerEvent[]): string {
  return events.map(event => JSON.stringify(event)).join('\n')
}

/** Splits one server frame into validated events; invalid lines are returned as errors. */
export function decodeServerFrame(frame: string): { events: ServerEvent[], invalid: string[] } {
  const events: ServerEvent[] = []
  const invalid: string[] = []
  for (const line of frame.split('\n')) {
    if (!line) continue
    try {
      const data: unknown = JSON.parse(line)
      const result = isPlainServerEvent(data) ? { success: true as const, output: data as ServerEvent } : v.safeParse(ServerEventSchema, data)
      if (result.success) events.push(result.output)
      else invalid.push(line)
    }
    catch {
      invalid.push(line)
    }
  }
  return { events, invalid }
}
