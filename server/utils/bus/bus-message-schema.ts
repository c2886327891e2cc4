import * as v from 'valibot'
import { ServerEventSchema, UserSchema } from '#shared/protocol'
import { fastCheck } from '#shared/fast-check'
import type { BusMessage } from './types'

const Text = v.pipe(v.string(), v.maxLength(256))
const CloseCode = v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(4999))

/**
 * What may arrive from the bus, checked like a client's frame: even a signed message from a buggy or older
 * instance must not reach clients malformed (a chat event with a forged seq replaced a real message in every
 * client's live view).
 */
const busMessage = v.variant('kind', [
  v.object({ kind: v.literal('event'), room: v.nullable(Text), event: ServerEventSchema }),
  v.object({ kind: v.literal('close-user'), userId: Text, code: CloseCode, reason: Text }),
  v.object({ kind: v.literal('close-sessions'), sessionIds: v.pipe(v.array(Text), v.maxLength(10_000)), code: CloseCode, reason: Text }),
  v.object({ kind: v.literal('user-updated'), user: UserSchema }),
  v.object({ kind: v.literal('settings-changed') }),
  v.object({ kind: v.literal('user-event'), userId: Text, event: ServerEventSchema }),
  v.object({ kind: v.literal('user-events'), deliveries: v.array(v.object({ userId: Text, event: ServerEventSchema })) }),
  v.object({ kind: v.literal('room-changed'), change: v.object({ room: Text, removedUserId: v.optional(Text) }) }),
  v.object({
    kind: v.literal('presence'),
    instance: Text,
    room: Text,
    user: UserSchema,
    state: v.picklist(['online', 'away', 'offline']),
    at: v.number(),
  }),
  v.object({ kind: v.literal('presence-sync'), instance: Text }),
])
/** The most messages one batch may carry; a turn of a busy instance stays far below it. */
const MAX_BATCH = 100_000
/** One publish carrying the messages of one event-loop turn of one instance, in the order they were published. */
const busBatch = v.object({ kind: v.literal('batch'), from: v.optional(Text), messages: v.pipe(v.array(busMessage), v.maxLength(MAX_BATCH)) })
// Exported apart from their definitions: Nitro's auto-import scanner took the `v` after a comma in
// `export const X = v.variant('kind', [` for a second export, a global of the server build.
export const BusMessageSchema = busMessage
export const BusBatchSchema = busBatch
/** What one publish may carry: a batch, or a single message (what instances before batches sent). */
export const BusPayloadSchema = v.union([busBatch, busMessage])
/** True for a batch the schema takes as it is, without running it (shared/fast-check.ts). */
export const isPlainBusBatch = fastCheck(busBatch)

// A change to BusMessage that the schema does not follow fails to compile here.
type Checked = v.InferOutput<typeof BusMessageSchema>
const _sameShape: (message: BusMessage) => Checked = message => message as Checked
void _sameShape
