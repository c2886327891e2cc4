/** What the REST API answers where the web app reads it back: history and thread pages, followed threads, the room list. */
import * as v from 'valibot'
import { ChatMessageSchema, RoomSchema } from './message-schemas'

/** A page of a room's history (`GET /api/rooms/:room/messages`), in ascending seq order. */
export const HistoryPageSchema = v.object({ room: v.string(), messages: v.array(ChatMessageSchema), lastSeq: v.number() })
export type HistoryPage = v.InferOutput<typeof HistoryPageSchema>

/** `GET /api/rooms/:room/threads`: the room's threads the user follows, each with the replies by others not read yet. */
export const FollowedThreadsSchema = v.object({
  room: v.string(),
  threads: v.array(v.object({ rootId: v.string(), readSeq: v.number(), unread: v.array(v.object({ id: v.string(), seq: v.number() })) })),
})
export type FollowedThreads = v.InferOutput<typeof FollowedThreadsSchema>

/**
 * `GET /api/threads`: the threads the user follows in every room they may read, those with new replies first,
 * then by their latest reply; each root (with its thread summary), where the user read it, and the replies by
 * others since.
 */
export const ThreadsEverywhereSchema = v.object({
  threads: v.array(v.object({ root: ChatMessageSchema, readSeq: v.number(), unread: v.array(v.object({ id: v.string(), seq: v.number() })) })),
})
export type ThreadsEverywhere = v.InferOutput<typeof ThreadsEverywhereSchema>

/** A page of a thread (`GET /api/rooms/:room/messages/:id/thread`): its root, and replies in ascending seq order. */
export const ThreadPageSchema = v.object({ room: v.string(), root: ChatMessageSchema, messages: v.array(ChatMessageSchema) })
export type ThreadPage = v.InferOutput<typeof ThreadPageSchema>

/** An unread message that @mentions the reader, as the room list names it: enough to count it and to link to it. */
export const MentionedMessageSchema = v.object({
  id: v.string(),
  seq: v.number(),
  threadId: v.optional(v.string()),
  alsoToRoom: v.optional(v.literal(true)),
})
export type MentionedMessage = v.InferOutput<typeof MentionedMessageSchema>

/** `GET /api/rooms`: the rooms the user can see, each room's last seq, and the user's read markers. */
export const RoomListSchema = v.object({
  rooms: v.array(RoomSchema),
  lastSeq: v.record(v.string(), v.number()),
  read: v.record(v.string(), v.number()),
  /** Per room never read: where its unread count starts (the user's first sight of it), kept on the server. */
  unreadFrom: v.optional(v.record(v.string(), v.number())),
  /** Per room: seqs after `read` of replies sent to a thread only, which the room's timeline and unread count leave out. */
  threadOnly: v.record(v.string(), v.array(v.number())),
  /** Per room: the unread messages after `read` that @mention the user (of its newest 2,000, 200 with an `@` looked at). */
  mentions: v.optional(v.record(v.string(), v.array(MentionedMessageSchema))),
})
export type RoomList = v.InferOutput<typeof RoomListSchema>
