import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { fastCheck, fastCheckCovers } from '#shared/fast-check'
import { ClientEventSchema, ServerEventSchema } from '#shared/protocol'
import { BusBatchSchema } from '#server/utils/bus/bus-message-schema'

const user = { id: 'u1', name: 'alice', username: 'alice' }
const chat = { type: 'chat', room: 'general', id: 'm1', seq: 7, user, text: 'hi', ts: 1700000000000, clientId: 'c1' }
const rich = {
  ...chat,
  editedAt: 1, reactions: [{ emoji: '👍', userIds: ['u1'] }], replyTo: { id: 'm0', seq: 6, user, text: 'before' },
  thread: { count: 2, lastReplyAt: 5, repliers: [user] }, attachments: [{ id: 'f1', name: 'a.png', size: 3, type: 'image/png', url: '/f/1', width: 2, height: 2 }],
}

/** Valid values of each schema, in the shapes the hot paths carry. */
const samples = {
  client: [
    { type: 'chat', room: 'general', text: 'hi', clientId: 'c1' },
    { type: 'chat', room: 'general', text: 'x', clientId: 'c1', attachments: ['f1'], replyTo: 'm1', threadId: 'm0', alsoToRoom: true },
    { type: 'join', room: 'general', after: 3, follow: true },
    { type: 'read', room: 'a-1', seq: 0 },
    { type: 'react', room: 'general', id: 'm1', emoji: '👍' },
  ],
  server: [chat, rich, { type: 'ack', clientId: 'c1', id: 'm1', seq: 7, ts: 1 }, { type: 'typing', room: 'general', user, active: true }],
  bus: [{ kind: 'batch', from: 'i1', messages: [{ kind: 'event', room: 'general', event: chat }, { kind: 'close-user', userId: 'u', code: 1008, reason: 'r' }] }],
}
const schemas = { client: ClientEventSchema, server: ServerEventSchema, bus: BusBatchSchema } as const

/** Every value one change away from `value`: each key dropped, replaced by something of another type, or added. */
function mutations(value: unknown): unknown[] {
  if (typeof value !== 'object' || value === null) return []
  const odd = [null, 0, -1, 1.5, Number.NaN, '', 'x'.repeat(5000), 'General', 'a\u0000b', true, [], {}, [1], { a: 1 }]
  const out: unknown[] = [...odd, { ...value, extra: 1 }]
  for (const [key, inner] of Object.entries(value)) {
    const rest = Object.fromEntries(Object.entries(value).filter(([k]) => k !== key))
    out.push(rest, ...odd.map(other => ({ ...value, [key]: other })))
    for (const deeper of mutations(inner)) out.push(Array.isArray(value) ? value.map((item, i) => (String(i) === key ? deeper : item)) : { ...value, [key]: deeper })
  }
  return out
}

describe('fastCheck', () => {
  it.each(Object.keys(schemas) as (keyof typeof schemas)[])('understands every part of the %s schema, so its plain values never run it', (name) => {
    expect(fastCheckCovers(schemas[name])).toBe(true)
    const check = fastCheck(schemas[name])
    for (const sample of samples[name]) expect(check(sample), JSON.stringify(sample)).toBe(true)
  })

  it.each(Object.keys(schemas) as (keyof typeof schemas)[])('says yes to a %s value only when the schema takes it unchanged', (name) => {
    const check = fastCheck(schemas[name])
    let refused = 0
    for (const value of samples[name].flatMap(mutations)) {
      const result = v.safeParse(schemas[name], value)
      if (check(value)) {
        expect(result.success, JSON.stringify(value)).toBe(true)
        expect(result.output).toEqual(value)
      }
      else refused++
    }
    // Most one-change values are wrong somewhere: the check must have said no to them.
    expect(refused).toBeGreaterThan(100)
  })

  it('leaves to the schema what it does not know: unknown keys, transformations, defaults and unions', () => {
    const trimmed = v.object({ name: v.pipe(v.string(), v.trim()) })
    const defaulted = v.object({ n: v.optional(v.number(), 1) })
    const either = v.union([v.string(), v.number()])
    for (const schema of [trimmed, defaulted, either]) expect(fastCheckCovers(schema)).toBe(false)
    expect(fastCheck(trimmed)({ name: 'a' })).toBe(false)
    expect(fastCheck(defaulted)({})).toBe(false)
    expect(fastCheck(either)('a')).toBe(false)
    expect(fastCheck(v.object({ a: v.string() }))({ a: 'x', b: 1 })).toBe(false)
  })

  it('says no where the schema reads what Object.keys does not: inherited keys, holes, an exact optional set to undefined', () => {
    const cases: [v.GenericSchema, unknown][] = [
      [v.object({ constructor: v.optional(v.string()) }), JSON.parse('{}')],
      [v.object({ a: v.string(), b: v.optional(v.string()) }), Object.assign(Object.create({ b: 1 }), { a: 's' })],
      // eslint-disable-next-line no-sparse-arrays
      [v.array(v.string()), [, 'a']],
      [v.object({ a: v.exactOptional(v.string()) }), { a: undefined }],
    ]
    for (const [schema, value] of cases) {
      expect(v.safeParse(schema, value).success).toBe(false)
      expect(fastCheck(schema)(value)).toBe(false)
    }
    expect(fastCheck(v.object({ a: v.exactOptional(v.string()) }))({})).toBe(true)
  })

  it('applies a pipe\'s checks in order, and a variant\'s option by its tag', () => {
    const room = v.pipe(v.string(), v.minLength(1), v.maxLength(3), v.regex(/^[a-z]+$/), v.check(text => text !== 'bad'))
    const check = fastCheck(v.variant('type', [v.object({ type: v.literal('a'), room }), v.object({ type: v.literal('b'), n: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(9)) })]))
    expect([{ type: 'a', room: 'abc' }, { type: 'b', n: 9 }].map(check)).toEqual([true, true])
    expect([{ type: 'a', room: '' }, { type: 'a', room: 'abcd' }, { type: 'a', room: 'A' }, { type: 'a', room: 'bad' }, { type: 'b', n: 1.5 }, { type: 'b', n: 10 }, { type: 'c' }, { type: 'a', n: 1 }].map(check))
      .toEqual([false, false, false, false, false, false, false, false])
  })
})
