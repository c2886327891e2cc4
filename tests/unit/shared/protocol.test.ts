import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { decodeServerFrame, encodeServerEvents, parseClientFrame, PROTOCOL_VERSION, RoomNameSchema, UserNameSchema } from '#shared/protocol'
import type { ServerEvent } from '#shared/protocol'
import { MAX_ATTACHMENT_IDS } from '#shared/protocol-limits'

const user = { id: 'u1', name: 'alice', username: 'alice' }

describe('parseClientFrame', () => {
  it.each([
    [{ type: 'join', room: 'general' }],
    [{ type: 'leave', room: 'a-1' }],
    [{ type: 'chat', room: 'general', text: 'hi', clientId: 'c1' }],
    [{ type: 'chat', room: 'general', text: 'x'.repeat(4000), clientId: 'c'.repeat(64) }],
  ])('accepts %j', (event) => {
    expect(parseClientFrame(JSON.stringify(event))).toEqual({ ok: true, event })
  })

  it('drops fields the protocol does not know, such as a forged author', () => {
    const parsed = parseClientFrame(JSON.stringify({ type: 'chat', room: 'general', text: 'hi', clientId: 'c1', user }))
    expect(parsed).toEqual({ ok: true, event: { type: 'chat', room: 'general', text: 'hi', clientId: 'c1' } })
  })

  it.each([
    ['not JSON', '{', 'bad_json', null],
    ['null', 'null', 'invalid_event', null],
    ['a number', '3', 'invalid_event', null],
    ['an array', '[]', 'invalid_event', null],
    ['no type', '{}', 'unknown_type', null],
    ['an unknown type', '{"type":"nope","clientId":"c9"}', 'unknown_type', 'c9'],
    ['a non-string type', '{"type":1}', 'unknown_type', null],
    ['a missing room', '{"type":"join"}', 'invalid_event', null],
    ['an uppercase room', '{"type":"join","room":"General"}', 'invalid_event', null],
    ['a room of 33 characters', JSON.stringify({ type: 'join', room: 'a'.repeat(33) }), 'invalid_event', null],
    ['text of the wrong type', '{"type":"chat","room":"general","text":1,"clientId":"c1"}', 'invalid_event', 'c1'],
    ['an empty clientId', '{"type":"chat","room":"general","text":"hi","clientId":""}', 'invalid_event', ''],
    ['a clientId of 65 characters', JSON.stringify({ type: 'chat', room: 'general', text: 'hi', clientId: 'c'.repeat(65) }), 'invalid_event', 'c'.repeat(65)],
    ['empty text', '{"type":"chat","room":"general","text":"","clientId":"c1"}', 'empty_text', 'c1'],
    ['whitespace text', '{"type":"chat","room":"general","text":"\\n \\t","clientId":"c1"}', 'empty_text', 'c1'],
    ['4001 characters', JSON.stringify({ type: 'chat', room: 'general', text: 'x'.repeat(4001), clientId: 'c1' }), 'text_too_long', 'c1'],
    ['4001 emoji', JSON.stringify({ type: 'chat', room: 'general', text: '🙂'.repeat(4001), clientId: 'c1' }), 'text_too_long', 'c1'],
  ])('refuses %s', (_label, raw, code, ref) => {
    const parsed = parseClientFrame(raw)
    expect(parsed).toMatchObject({ ok: false, code, ref })
    if (!parsed.ok) expect(parsed.message).not.toBe('')
  })

  it('counts 4000 emoji as 4000 characters', () => {
    const parsed = parseClientFrame(JSON.stringify({ type: 'chat', room: 'general', text: '🙂'.repeat(4000), clientId: 'c1' }))
    expect(parsed.ok).toBe(true)
  })
})

describe('names', () => {
  it('trims user names and keeps 1 to 32 characters without control characters', () => {
    expect(v.parse(UserNameSchema, '  Zoë  ')).toBe('Zoë')
    expect(v.safeParse(UserNameSchema, 'x'.repeat(32)).success).toBe(true)
    for (const bad of ['', '   ', 'x'.repeat(33), 'a\u0000b', 'a\nb', 'a\u007Fb', 'a\u0085b', 5]) {
      expect(v.safeParse(UserNameSchema, bad).success).toBe(false)
    }
  })

  it('allows lowercase room names with digits and inner hyphens', () => {
    for (const good of ['general', 'a', '2026-plans', 'a'.repeat(32)]) expect(v.safeParse(RoomNameSchema, good).success).toBe(true)
    for (const bad of ['', '-x', 'X', 'a b', 'a_b', 'a'.repeat(33), 'é']) expect(v.safeParse(RoomNameSchema, bad).success).toBe(false)
  })
})

describe('server frames', () => {
  const events: ServerEvent[] = [
    { type: 'welcome', user, version: PROTOCOL_VERSION, heartbeatMs: 25_000, limits: { maxRoomsPerConnection: 50 } },
    { type: 'chat', room: 'general', id: 'm1', seq: 1, user, text: 'line one\nline two', ts: 1, clientId: 'c1' },
    { type: 'ack', clientId: 'c1', id: 'm1', seq: 1, ts: 1 },
    { type: 'system', room: 'general', kind: 'join', user, ts: 2 },
    { type: 'error', code: 'bad_json', message: 'no', ref: null },
  ]

  it('round-trips several events in one NDJSON frame, newlines inside text included', () => {
    const frame = encodeServerEvents(events)
    expect(frame.split('\n')).toHaveLength(events.length)
    expect(decodeServerFrame(frame)).toEqual({ events, invalid: [] })
  })

  it('reports lines that are not valid events instead of throwing', () => {
    const { events: decoded, invalid } = decodeServerFrame(`{"type":"ack"}\nnot json\n${JSON.stringify(events[0])}`)
    expect(decoded).toEqual([events[0]])
    expect(invalid).toEqual(['{"type":"ack"}', 'not json'])
  })
})

describe('text that is not Unicode', () => {
  it.each(['a\uD800b', '\uDC00', 'x\uD83D'])('refuses a lone surrogate in %j with invalid_text', (text) => {
    expect(parseClientFrame(JSON.stringify({ type: 'chat', room: 'general', text, clientId: 'c1' }))).toMatchObject({ ok: false, code: 'invalid_text' })
  })

  it('accepts surrogate pairs', () => {
    expect(parseClientFrame(JSON.stringify({ type: 'chat', room: 'general', text: 'ok 😀', clientId: 'c1' })).ok).toBe(true)
  })
})

describe('a chat event with attachments', () => {
  it('may have blank text when it names attachments', () => {
    const parsed = parseClientFrame(JSON.stringify({ type: 'chat', room: 'general', text: '', clientId: 'c1', attachments: ['f1'] }))
    expect(parsed).toMatchObject({ ok: true, event: { text: '', attachments: ['f1'] } })
  })

  it('still refuses blank text with an empty attachments list', () => {
    const parsed = parseClientFrame(JSON.stringify({ type: 'chat', room: 'general', text: ' ', clientId: 'c1', attachments: [] }))
    expect(parsed).toMatchObject({ ok: false, code: 'empty_text', ref: 'c1' })
  })

  it('refuses more attachment ids than the protocol allows', () => {
    const ids = Array.from({ length: MAX_ATTACHMENT_IDS + 1 }, (_, index) => `f${index}`)
    const parsed = parseClientFrame(JSON.stringify({ type: 'chat', room: 'general', text: 'x', clientId: 'c1', attachments: ids }))
    expect(parsed).toMatchObject({ ok: false, code: 'too_many_attachments', ref: 'c1' })
  })
})
