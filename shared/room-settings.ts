/**
 * REST bodies and answers for managing a room (topic, slow mode, members of a private room), shared by the
 * routes and the client. docs/protocol.md describes them beside the socket events.
 */
import * as v from 'valibot'
import { UserSchema } from './protocol'

/** A topic is one line of at most this many characters. */
export const MAX_TOPIC_LENGTH = 200
/** Slow mode's longest interval: one message per hour. */
export const MAX_SLOW_MODE_SECONDS = 3600

export const RoomRoleSchema = v.picklist(['owner', 'member'])
export type RoomRole = v.InferOutput<typeof RoomRoleSchema>

/** `PATCH /api/rooms/:room`: what to change; an absent field stays as it is, '' or null clears the topic, 0 ends slow mode. */
export const RoomSettingsSchema = v.object({
  topic: v.optional(v.nullable(v.pipe(
    v.string(),
    v.trim(),
    v.maxLength(MAX_TOPIC_LENGTH, `A topic is at most ${MAX_TOPIC_LENGTH} characters.`),
    // eslint-disable-next-line no-control-regex
    v.regex(/^[^\u0000-\u001F\u007F-\u009F]*$/, 'A topic is one line of text, without control characters.'),
  ))),
  slowModeSeconds: v.optional(v.pipe(
    v.number(),
    v.integer('Slow mode is a whole number of seconds.'),
    v.minValue(0, 'Slow mode cannot be negative.'),
    v.maxValue(MAX_SLOW_MODE_SECONDS, `Slow mode is at most ${MAX_SLOW_MODE_SECONDS} seconds.`),
  )),
})
export type RoomSettings = v.InferOutput<typeof RoomSettingsSchema>

/** `POST /api/rooms/:room/members`: adds someone by username; with `role`, also sets the role of someone already in. */
export const AddMemberSchema = v.object({
  username: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  role: v.optional(RoomRoleSchema),
})

export const RoomMemberSchema = v.object({ user: UserSchema, role: RoomRoleSchema })
export type RoomMember = v.InferOutput<typeof RoomMemberSchema>

/** `GET /api/rooms/:room/members`: a private room's members (or a direct message's), sorted by user id. */
export const RoomMembersSchema = v.object({ room: v.string(), members: v.array(RoomMemberSchema) })
export type RoomMembers = v.InferOutput<typeof RoomMembersSchema>

/** What the asking user may do in a room (`GET /api/rooms/:room`), decided by the server's policy. */
export const RoomPermissionsSchema = v.object({
  /** Their role there: owner, member, or null (a public room they did not create). */
  standing: v.nullable(RoomRoleSchema),
  /** Change the topic and slow mode, delete anyone's message. */
  moderate: v.boolean(),
  /** Add and remove members (private rooms only). */
  manageMembers: v.boolean(),
})
export type RoomPermissions = v.InferOutput<typeof RoomPermissionsSchema>
