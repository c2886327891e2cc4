import { beforeAll, describe, expect, inject, it } from 'vitest'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

describe('bad input over the socket', () => {
  let client: ChatClient
  let room: string
  let sent = 0

  beforeAll(async () => {
    const { cookie } = await signIn(baseURL, uniqueName('fuzzy'))
    client = await ChatClient.connect(baseURL, cookie)
    room = await createRoom(baseURL, cookie)
    await client.join(room)
  })

  /** After every refusal the same connection must still chat normally. */
  async function expectStillWorks() {
    const clientId = `alive-${++sent}`
    client.send({ type: 'chat', room, text: 'still here', clientId })
    expect(await client.nextOfType('ack', event => event.clientId === clientId)).toMatchObject({ clientId })
  }

  it.each([
    ['malformed JSON', '{"type": "chat", ', 'bad_json', null],
    ['a JSON array', '[1, 2]', 'invalid_event', null],
    ['a JSON string', '"chat"', 'invalid_event', null],
    ['an unknown type', JSON.stringify({ type: 'explode' }), 'unknown_type', null],
    ['a missing type', JSON.stringify({ room: 'general' }), 'unknown_type', null],
    ['a room of the wrong type', JSON.stringify({ type: 'join', room: 42 }), 'invalid_event', null],
    ['a text of the wrong type', JSON.stringify({ type: 'chat', room: 'general', text: 7, clientId: 'w1' }), 'invalid_event', 'w1'],
    ['a missing clientId', JSON.stringify({ type: 'chat', room: 'general', text: 'hi' }), 'invalid_event', null],
    ['an invalid room name', JSON.stringify({ type: 'join', room: '../etc' }), 'invalid_event', null],
    ['empty text', JSON.stringify({ type: 'chat', room: 'general', text: '', clientId: 'e1' }), 'empty_text', 'e1'],
    ['blank text', JSON.stringify({ type: 'chat', room: 'general', text: ' \n\t ', clientId: 'e2' }), 'empty_text', 'e2'],
    ['text over 4000 characters', JSON.stringify({ type: 'chat', room: 'general', text: 'a'.repeat(4001), clientId: 'l1' }), 'text_too_long', 'l1'],
    ['text over 4000 code points but under 8000 UTF-16 units', JSON.stringify({ type: 'chat', room: 'general', text: '😀'.repeat(4001), clientId: 'l2' }), 'text_too_long', 'l2'],
    ['joining an unknown room', JSON.stringify({ type: 'join', room: 'no-such-room' }), 'unknown_room', 'no-such-room'],
    ['sending to an unknown room', JSON.stringify({ type: 'chat', room: 'no-such-room', text: 'hi', clientId: 'u1' }), 'unknown_room', 'u1'],
    ['sending to a room not joined', JSON.stringify({ type: 'chat', room: 'general', text: 'hi', clientId: 'n1' }), 'not_joined', 'n1'],
    ['leaving a room not joined', JSON.stringify({ type: 'leave', room: 'general' }), 'not_joined', 'general'],
  ])('answers %s with its error code and keeps the connection', async (_label, frame, code, ref) => {
    client.send(frame)
    const error = await client.nextOfType('error')
    expect(error).toMatchObject({ code, ref })
    expect(error.message.length).toBeGreaterThan(0)
    await expectStillWorks()
  })

  it('accepts exactly 4000 characters, counting emoji as one each', async () => {
    client.send({ type: 'chat', room, text: '😀'.repeat(4000), clientId: 'max' })
    expect(await client.nextOfType('ack', event => event.clientId === 'max')).toMatchObject({ clientId: 'max' })
  })

  it('does not send the error to anyone else', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('bystander'))
    const bystander = await ChatClient.connect(baseURL, cookie)
    await bystander.join(room)
    client.send('garbage')
    await client.nextOfType('error', event => event.code === 'bad_json')
    await expectStillWorks()
    await bystander.nextOfType('chat', event => event.clientId === `alive-${sent}`)
    expect(bystander.log.some(event => event.type === 'error')).toBe(false)
  })
})

describe('oversized frames', () => {
  it('closes a connection that sends a frame over 64 KiB with 1009, and only that one', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('big'))
    const offender = await ChatClient.connect(baseURL, cookie)
    const bystander = await ChatClient.connect(baseURL, cookie)
    const room = await createRoom(baseURL, cookie)
    await bystander.join(room)

    offender.send('x'.repeat(64 * 1024 + 1))
    expect((await offender.closed).code).toBe(1009)

    bystander.send({ type: 'chat', room, text: 'unaffected', clientId: 'after-1009' })
    expect(await bystander.nextOfType('ack', event => event.clientId === 'after-1009')).toMatchObject({ seq: 1 })
  })

  it('reads a frame of exactly 64 KiB (and refuses its content on its merits)', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('edge'))
    const client = await ChatClient.connect(baseURL, cookie)
    client.send('x'.repeat(64 * 1024))
    expect(await client.nextOfType('error')).toMatchObject({ code: 'bad_json' })
  })
})
