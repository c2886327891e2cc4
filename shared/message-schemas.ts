/**
 * What the protocol carries about people, rooms and messages (the resources REST serves and the socket's events
 * hold), as Valibot schemas. `#shared/protocol` re-exports them with the events.
 */
import * as v from 'valibot'

/**
 * Someone as others see them: `name` is the display name (may repeat), `username` is unique and what
 * @mentions use; `guest` marks someone who only picked a name. A deleted account keeps its id, with
 * `deleted: true` and the name "Deleted user".
 */
export const UserSchema = v.object({
  id: v.string(),
  name: v.string(),
  username: v.string(),
  guest: v.optional(v.literal(true)),
  deleted: v.optional(v.literal(true)),
})
export type User = v.InferOutput<typeof UserSchema>

export const RoomSchema = v.object({
  name: v.string(),
  createdAt: v.number(),
  createdBy: v.nullable(v.string()),
  /** Absent for public rooms; private rooms and direct messages are only seen and joined by their members. */
  kind: v.optional(v.picklist(['private', 'dm'])),
  /** For members of a private room or direct message: who is in it. */
  members: v.optional(v.array(UserSchema)),
  /** What the room is about, set by its moderators; absent when none. */
  topic: v.optional(v.string()),
  /** Slow mode: each member may post once per this many seconds (moderators are exempt); absent when off. */
  slowModeSeconds: v.optional(v.number()),
})
export type Room = v.InferOutput<typeof RoomSchema>

export const ReactionSchema = v.object({ emoji: v.string(), userIds: v.array(v.string()) })
export type Reaction = v.InferOutput<typeof ReactionSchema>

/**
 * The message a reply quotes, as it is now: its author and the start of its text (at most QUOTE_LENGTH code
 * points), or `deleted` with an empty text. Only ever a message of the reply's own room.
 */
export const QuoteSchema = v.object({
  id: v.string(),
  seq: v.number(),
  user: UserSchema,
  text: v.string(),
  deleted: v.optional(v.literal(true)),
})
export type Quote = v.InferOutput<typeof QuoteSchema>

/** A thread under its root message: how many replies, when the last came, and the latest repliers (newest first, at most 3). */
export const ThreadSummarySchema = v.object({
  count: v.number(),
  lastReplyAt: v.number(),
  repliers: v.array(UserSchema),
})
export type ThreadSummary = v.InferOutput<typeof ThreadSummarySchema>

/** A file a message carries, as uploaded (`POST /api/rooms/:room/uploads`); images have a thumbnail and their size. */
export const AttachmentSchema = v.object({
  id: v.string(),
  name: v.string(),
  size: v.number(),
  type: v.string(),
  url: v.string(),
  thumbnailUrl: v.optional(v.string()),
  width: v.optional(v.number()),
  height: v.optional(v.number()),
})
export type Attachment = v.InferOutput<typeof AttachmentSchema>

export const ChatMessageSchema = v.object({
  room: v.string(),
  id: v.string(),
  seq: v.number(),
  user: UserSchema,
  text: v.string(),
  ts: v.number(),
  clientId: v.string(),
  /** When the text was last edited; absent when never. */
  editedAt: v.optional(v.number()),
  /** When the author deleted it (the text is then empty); absent otherwise. */
  deletedAt: v.optional(v.number()),
  /** Set when a moderator (an admin or the room's owner) removed someone else's message. */
  removedByModerator: v.optional(v.literal(true)),
  /** Reactions in the order they were first given; absent when none. */
  reactions: v.optional(v.array(ReactionSchema)),
  /** When it was pinned for the room, and by whom (a user id); absent when not pinned. */
  pinnedAt: v.optional(v.number()),
  pinnedBy: v.optional(v.string()),
  /** The message this one replies to (same room), quoted; absent for a message that replies to none. */
  replyTo: v.optional(QuoteSchema),
  /** A thread reply: its root message's id. Such a reply shows in the room's timeline only with `alsoToRoom`. */
  threadId: v.optional(v.string()),
  alsoToRoom: v.optional(v.literal(true)),
  /** On a thread's root message: its replies so far; absent while it has none. */
  thread: v.optional(ThreadSummarySchema),
  /** The files it carries, in the order given; absent when none (and once the message is deleted). */
  attachments: v.optional(v.array(AttachmentSchema)),
})
export type ChatMessage = v.InferOutput<typeof ChatMessageSchema>
