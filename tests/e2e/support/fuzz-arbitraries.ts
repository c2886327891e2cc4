import fc from 'fast-check'
import { MAX_FRAME_BYTES, MAX_TEXT_LENGTH } from '#shared/protocol-limits'
import { closePayload } from './raw-frames'
import type { FrameSpec } from './frame-model'

/** Keys that have broken JavaScript servers before: prototype pollution and shadowed builtins. */
const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'user', 'id', 'seq']

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
)

const roomName = (knownRooms: string[]) => fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...knownRooms) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,31}$/) },
  { weight: 1, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constantFrom('', '-x', 'A', 'a'.repeat(33), '../etc', 'general\n') },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
)

const chatText = fc.oneof(
  { weight: 4, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n\t ', '\u200b', 'line\nbreak', '<img src=x onerror=alert(1)>', '😀🇩🇪👩‍👩‍👧') },
  { weight: 1, arbitrary: fc.integer({ min: MAX_TEXT_LENGTH - 2, max: MAX_TEXT_LENGTH + 2 }).map(n => '😀'.repeat(n)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
)

const clientId = fc.oneof(
  { weight: 4, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(64), 'x'.repeat(65)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
)

/** Events shaped like the protocol's, with random (often wrong) field values, missing fields and hostile extra keys. */
const eventLike = (knownRooms: string[]) => fc.record({
  type: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('join', 'leave', 'chat') }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
  room: roomName(knownRooms),
  text: chatText,
  clientId,
  extra: fc.dictionary(fc.constantFrom(...HOSTILE_KEYS), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
}, { requiredKeys: ['type'] }).map(({ extra, ...event }) => JSON.stringify({ ...extra, ...event }))

/** Chats that should be accepted once the room is joined, with hostile extra keys (a spoofed `user`, `__proto__`…). */
const validChat = (room: string) => fc.record({
  text: fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 60 })).filter(text => text.trim().length > 0),
  clientId: fc.uuid(),
  extra: fc.dictionary(fc.constantFrom(...HOSTILE_KEYS), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 }),
}).map(({ extra, text, clientId }) => JSON.stringify({ ...extra, type: 'chat', room, text, clientId }))

/** Frames that JSON.stringify would never produce. */
const hostileJson = fc.constantFrom(
  '{"type":"join","room":1e999}',
  '{"type":"chat","room":"general","text":"hi","clientId":-0}',
  `{"type":"chat","text":${'9'.repeat(400)},"clientId":"n"}`,
  '{"__proto__":{"type":"chat"},"room":"general"}',
  '{"type":"join","room":"general","__proto__":{"admin":true,"room":"x"}}',
  '{"constructor":{"prototype":{"polluted":true}},"type":"leave","room":"general"}',
  '{"type":"chat","type":"join","room":"general"}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`,
  'null', 'true', '0', '""', '[]', '{}', ' ', '\u0000',
)

/**
 * Chats whose text JSON can carry but UTF-8 cannot: lone surrogates. Storage would turn them into U+FFFD and
 * history would differ from the live event, so the server refuses them with `invalid_text`.
 */
const loneSurrogateChat = (room: string) => fc.tuple(fc.constantFrom('\\ud800', 'a\\udfff', '\\udc00\\ud83d'), fc.uuid())
  .map(([text, clientId]) => `{"type":"chat","room":"${room}","text":"${text}","clientId":"${clientId}"}`)

/** One client frame's text for the JSON fuzz: valid-shaped events, random JSON, random strings, now and then too big. */
export const jsonishFrame = (joinedRoom: string, otherRooms: string[]) => fc.oneof(
  { weight: 4, arbitrary: validChat(joinedRoom) },
  { weight: 1, arbitrary: fc.constant(JSON.stringify({ type: 'join', room: joinedRoom })) },
  { weight: 8, arbitrary: eventLike([joinedRoom, ...otherRooms]) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(value => JSON.stringify(value) ?? 'undefined') },
  { weight: 2, arbitrary: anyString },
  { weight: 2, arbitrary: hostileJson },
  { weight: 1, arbitrary: loneSurrogateChat(joinedRoom) },
  { weight: 1, arbitrary: fc.integer({ min: MAX_FRAME_BYTES - 2, max: MAX_FRAME_BYTES + 64 }).map(n => `"${'x'.repeat(n - 2)}"`) },
)

const closeCode = fc.oneof(
  fc.constantFrom(0, 999, 1000, 1001, 1004, 1005, 1006, 1011, 1014, 1015, 2999, 3000, 4999, 5000, 65535),
  fc.integer({ min: 0, max: 65535 }),
)

const bytes = (maxLength: number) => fc.oneof(
  fc.uint8Array({ maxLength }),
  fc.string({ unit: 'binary', maxLength: Math.floor(maxLength / 4) }).map(text => new Uint8Array(Buffer.from(text))),
)

const dataPayload = fc.oneof(
  { weight: 6, arbitrary: bytes(200) },
  { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 20_000, max: 40_000 }), fc.integer({ min: MAX_FRAME_BYTES - 4, max: MAX_FRAME_BYTES + 8 })).map(n => new Uint8Array(n).fill(0x61)) },
)

const mostly = (value: boolean) => fc.oneof({ weight: 5, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: fc.constant(!value) })

/** Text, binary and continuation frames, mostly final. */
const dataFrame = fc.record({ opcode: fc.constantFrom(0x1, 0x1, 0x2, 0x0), rsv: fc.constant(0), fin: mostly(true), payload: dataPayload })
/** Pings and pongs, mostly within the 125-byte limit for control frames. */
const pingPongFrame = fc.record({ opcode: fc.constantFrom(0x9, 0xa), rsv: fc.constant(0), fin: mostly(true), payload: fc.oneof({ weight: 8, arbitrary: bytes(125) }, { weight: 1, arbitrary: bytes(140) }) })
/** Close frames: a code and a reason (valid or not), no payload, or a single byte. */
const closeFrame = fc.record({
  opcode: fc.constant(0x8),
  rsv: fc.constant(0),
  fin: mostly(true),
  payload: fc.oneof(
    { weight: 6, arbitrary: fc.tuple(closeCode, fc.oneof(fc.string({ maxLength: 20 }), fc.uint8Array({ maxLength: 20 }))).map(([code, reason]) => new Uint8Array(closePayload(code, reason))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 1 }) },
  ),
})
/** Anything at all: any opcode, RSV bits, FIN and payload. */
const wildFrame = fc.record({ opcode: fc.integer({ min: 0, max: 15 }), rsv: fc.integer({ min: 0, max: 7 }), fin: fc.boolean(), payload: bytes(140) })

/** A random frame: mostly well-formed kinds, so a sequence often gets past its first frame. */
export const frameSpec: fc.Arbitrary<FrameSpec> = fc.oneof(
  { weight: 6, arbitrary: dataFrame },
  { weight: 2, arbitrary: pingPongFrame },
  { weight: 1, arbitrary: closeFrame },
  { weight: 1, arbitrary: wildFrame },
)
