import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import WebSocket from 'ws'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach, trackWebSocket } from './support/open-sockets'

closeSocketsAfterEach()

/** A server with the shipped defaults (rate limit on), except the few limits a test shrinks. */
describe('limits with the default configuration', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_MAX_ROOMS_PER_CONNECTION: '3' })
  })
  afterAll(() => server.stop())

  it('rate-limits a burst past 20 messages with rate_limited and retryAfter, without slowing anyone else', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const room = await createRoom(server.url, alice.cookie)
    const flooder = await ChatClient.connect(server.url, alice.cookie)
    const neighbour = await ChatClient.connect(server.url, bob.cookie)
    await flooder.join(room)
    await neighbour.join(room)

    for (let index = 0; index < 30; index++) flooder.send({ type: 'chat', room, text: `burst ${index}`, clientId: `b${index}` })
    const limited = await flooder.nextOfType('error', event => event.code === 'rate_limited')
    expect(limited.retryAfter).toBeGreaterThan(0)
    expect(limited.ref).toMatch(/^b\d+$/)
    await flooder.nextOfType('ack', event => event.clientId === 'b19')
    const acked = flooder.log.filter(event => event.type === 'ack').length
    expect(acked).toBeGreaterThanOrEqual(20)
    expect(acked).toBeLessThan(30)

    neighbour.send({ type: 'chat', room, text: 'unaffected', clientId: 'n1' })
    expect(await neighbour.nextOfType('ack', event => event.clientId === 'n1')).toBeTruthy()
  })

  it('closes a connection that keeps flooding with 1008', async () => {
    const { cookie } = await signIn(server.url, uniqueName('flood'))
    const room = await createRoom(server.url, cookie)
    const flooder = await ChatClient.connect(server.url, cookie)
    await flooder.join(room)
    for (let index = 0; index < 200; index++) flooder.send({ type: 'chat', room, text: 'x', clientId: `f${index}` })
    expect((await flooder.closed).code).toBe(1008)
  })

  it('refuses more than 10 connections for one user with 429', async () => {
    const { cookie } = await signIn(server.url, uniqueName('tabs'))
    const open = []
    for (let index = 0; index < 10; index++) open.push(await ChatClient.connect(server.url, cookie))
    await expect(ChatClient.connect(server.url, cookie)).rejects.toThrow('upgrade refused: 429')
  })

  it('refuses to join more rooms than allowed per connection', async () => {
    const { cookie } = await signIn(server.url, uniqueName('rooms'))
    const client = await ChatClient.connect(server.url, cookie)
    for (let index = 0; index < 3; index++) await client.join(await createRoom(server.url, cookie))
    const fourth = await createRoom(server.url, cookie)
    client.send({ type: 'join', room: fourth })
    expect(await client.nextOfType('error')).toMatchObject({ code: 'too_many_rooms', ref: fourth })
  })
})

describe('a slow consumer', () => {
  const baseURL = inject('baseURL')

  it('is disconnected with 1013 once 1 MiB is waiting for it, while the room goes on', async () => {
    const alice = await signIn(baseURL, uniqueName('alice'))
    const bob = await signIn(baseURL, uniqueName('sloth'))
    const room = await createRoom(baseURL, alice.cookie)
    const sender = await ChatClient.connect(baseURL, alice.cookie)
    const slow = await ChatClient.connect(baseURL, bob.cookie)
    await sender.join(room)
    await slow.join(room)
    // Stop reading: the kernel buffers fill, then the server's socket buffer grows.
    const rawSocket = (slow.socket as WebSocket & { _socket: import('node:net').Socket })._socket
    rawSocket.pause()
    const text = 'y'.repeat(4000)
    for (let index = 0; index < 3000; index++) sender.send({ type: 'chat', room, text, clientId: `s${index}` })
    await sender.nextOfType('ack', event => event.clientId === 's2999', 30_000)
    rawSocket.resume()
    expect((await slow.closed).code).toBe(1013)
  }, 40_000)
})

describe('heartbeats and session expiry', () => {
  let server: RunningServer
  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_HEARTBEAT_INTERVAL_MS: '200', NUXT_SESSION_MAX_AGE: '3' })
  })
  afterAll(() => server.stop())

  it('sends heartbeat events to a quiet connection and keeps it', async () => {
    const { cookie } = await signIn(server.url, uniqueName('quiet'))
    const client = await ChatClient.connect(server.url, cookie)
    expect(client.log[0]).toMatchObject({ type: 'welcome', heartbeatMs: 200 })
    await client.nextOfType('heartbeat')
    await client.nextOfType('heartbeat')
    expect(client.socket.readyState).toBe(WebSocket.OPEN)
  })

  it('drops a peer that does not answer pings', async () => {
    const { cookie } = await signIn(server.url, uniqueName('mute'))
    const socket = trackWebSocket(new WebSocket(`${server.url.replace('http', 'ws')}/_ws`, { headers: { cookie, origin: server.url }, autoPong: false }))
    const closed = new Promise<number>(resolve => socket.on('close', code => resolve(code)))
    expect(await closed).toBe(1006)
  })

  it('closes sockets with 1008 when the session expires, and refuses its cookie afterwards', async () => {
    const { cookie } = await signIn(server.url, uniqueName('brief'))
    const client = await ChatClient.connect(server.url, cookie)
    expect((await client.closed).code).toBe(1008)
    await expect(ChatClient.connect(server.url, cookie)).rejects.toThrow('upgrade refused: 401')
  }, 10_000)
})
