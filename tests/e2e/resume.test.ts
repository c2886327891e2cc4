import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

function chatSeqs(client: ChatClient, room: string): number[] {
  return client.log.flatMap(event => event.type === 'chat' && event.room === room ? [event.seq] : [])
}

async function fill(client: ChatClient, room: string, count: number, prefix: string) {
  for (let index = 0; index < count; index++) client.send({ type: 'chat', room, text: `${prefix} ${index}`, clientId: `${prefix}-${index}` })
  await client.nextOfType('ack', event => event.clientId === `${prefix}-${count - 1}`)
}

describe('resuming a room over the socket', () => {
  it('replays exactly the messages after the given seq, then says joined {recovered: true}', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const writer = await ChatClient.connect(baseURL, alice.cookie)
    const room = await createRoom(baseURL, alice.cookie)
    await writer.join(room)
    await fill(writer, room, 8, 'r')

    const reader = await ChatClient.connect(baseURL, alice.cookie)
    reader.send({ type: 'join', room, after: 5 })
    const joined = await reader.nextOfType('joined')
    expect(joined).toEqual({ type: 'joined', room, lastSeq: 8, recovered: true })
    expect(chatSeqs(reader, room)).toEqual([6, 7, 8])
    // The replay comes before `joined`.
    const joinedAt = reader.log.findIndex(event => event.type === 'joined')
    expect(reader.log.slice(joinedAt).some(event => event.type === 'chat')).toBe(false)
  })

  it('refuses a seq ahead of the room, and a malformed one, with an error', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('bob'))
    const client = await ChatClient.connect(baseURL, cookie)
    const room = await createRoom(baseURL, cookie)
    client.send({ type: 'join', room, after: 3 })
    expect(await client.nextOfType('error')).toMatchObject({ code: 'invalid_seq', ref: room })
    for (const after of [-1, 1.5, '2', null, 2 ** 60]) {
      client.send({ type: 'join', room, after })
      expect(await client.nextOfType('error')).toMatchObject({ code: 'invalid_event' })
    }
    expect(await client.join(room)).toBe(0)
  })

  it('has no gap and no duplicate at the seam while others keep sending', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('bob'))
    const room = await createRoom(baseURL, alice.cookie)
    const writer = await ChatClient.connect(baseURL, alice.cookie)
    await writer.join(room)
    await fill(writer, room, 10, 'before')

    const reader = await ChatClient.connect(baseURL, bob.cookie)
    // Sends race the resume: some land before the read, some during the replay, some after.
    for (let index = 0; index < 40; index++) writer.send({ type: 'chat', room, text: `during ${index}`, clientId: `during-${index}` })
    reader.send({ type: 'join', room, after: 3 })
    await writer.nextOfType('ack', event => event.clientId === 'during-39')
    await reader.nextOfType('chat', event => event.seq === 50)
    expect(chatSeqs(reader, room)).toEqual(Array.from({ length: 47 }, (_, index) => index + 4))
  })
})

describe('resuming past the limit', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_RESUME_LIMIT: '5', NUXT_LIMITS_MESSAGES_PER_SECOND: '0' })
  })
  afterAll(() => server.stop())

  it('says recovered: false and replays nothing when more was missed than the server replays', async () => {
    const { cookie } = await signIn(server.url, uniqueName('carol'))
    const writer = await ChatClient.connect(server.url, cookie)
    const room = await createRoom(server.url, cookie)
    await writer.join(room)
    await fill(writer, room, 9, 'x')
    const reader = await ChatClient.connect(server.url, cookie)
    reader.send({ type: 'join', room, after: 3 })
    expect(await reader.nextOfType('joined')).toEqual({ type: 'joined', room, lastSeq: 9, recovered: false })
    expect(chatSeqs(reader, room)).toEqual([])
    reader.send({ type: 'join', room, after: 4 })
    expect(await reader.nextOfType('joined')).toMatchObject({ recovered: true })
    expect(chatSeqs(reader, room)).toEqual([5, 6, 7, 8, 9])
  })
})
