import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MUTED_FOREVER } from '#shared/notification-levels'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, register, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

/**
 * Notification levels and mutes: a member sets them per room, every tab of theirs follows, and a mention
 * notifies only when the level and mute allow; nobody outside a private room reads or sets them there.
 */
describe('notification levels and mutes', () => {
  let server: RunningServer
  let owner: Awaited<ReturnType<typeof register>>

  beforeAll(async () => {
    server = await startServer()
    owner = await register(server.url, uniqueName('owner'))
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  const request = (method: string, path: string, cookie: string, body?: unknown) => fetch(`${server.url}${path}`, {
    method,
    headers: { origin: server.url, cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const call = async (method: string, path: string, cookie: string, body?: unknown) => {
    const response = await request(method, path, cookie, body)
    expect(response.status).toBe(method === 'POST' ? 201 : 200)
    return response.json()
  }
  const newRoom = async (cookie: string, extra: Record<string, unknown> = {}) =>
    (await call('POST', '/api/rooms', cookie, { name: uniqueName('levels'), ...extra })).room.name as string
  const choose = (room: string, cookie: string, choice: { level: string | null, mutedUntil: number | null }) =>
    call('PUT', `/api/rooms/${room}/notifications`, cookie, choice)

  /** Sends a mention of `username` and waits for the author's ack. */
  const mention = async (writer: ChatClient, room: string, username: string) => {
    const clientId = uniqueName('mention')
    writer.send({ type: 'chat', room, text: `hey @${username}`, clientId })
    await writer.nextOfType('ack', event => event.clientId === clientId)
    return clientId
  }

  it('a muted room sends no notification for a mention, an ended mute does, and every tab hears the choice', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const muted = await newRoom(alice.cookie)
    const loud = await newRoom(alice.cookie)
    const writer = await ChatClient.connect(server.url, alice.cookie)
    await writer.join(muted)
    await writer.join(loud)
    const bobTab = await ChatClient.connect(server.url, bob.cookie)
    const bobOtherTab = await ChatClient.connect(server.url, bob.cookie)

    const state = await choose(muted, bob.cookie, { level: 'all', mutedUntil: MUTED_FOREVER })
    expect(state).toEqual({ room: muted, level: 'all', mutedUntil: MUTED_FOREVER, effectiveLevel: 'all', defaultLevel: 'all' })
    for (const tab of [bobTab, bobOtherTab]) {
      expect(await tab.nextOfType('notification-choice')).toEqual({ type: 'notification-choice', room: muted, level: 'all', mutedUntil: MUTED_FOREVER })
    }
    expect(await call('GET', `/api/rooms/${muted}/notifications`, bob.cookie)).toEqual(state)

    const silenced = await mention(writer, muted, bob.user.username)
    // The later mention in another room arrives: the earlier one, had it been sent, would have come first.
    const heard = await mention(writer, loud, bob.user.username)
    await bobTab.nextOfType('notification', event => event.message.clientId === heard)
    expect(bobTab.log.some(event => event.type === 'notification' && event.message.clientId === silenced)).toBe(false)

    // A mute whose end has passed is no mute.
    await choose(muted, bob.cookie, { level: null, mutedUntil: Date.now() - 1000 })
    const afterMute = await mention(writer, muted, bob.user.username)
    await bobTab.nextOfType('notification', event => event.message.clientId === afterMute)
  })

  it('level nothing has no mention signal, mentions has; the choices are listed for the badges', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const quiet = await newRoom(alice.cookie)
    const normal = await newRoom(alice.cookie)
    const writer = await ChatClient.connect(server.url, alice.cookie)
    await writer.join(quiet)
    await writer.join(normal)
    const bobTab = await ChatClient.connect(server.url, bob.cookie)
    await choose(quiet, bob.cookie, { level: 'nothing', mutedUntil: null })
    await choose(normal, bob.cookie, { level: 'mentions', mutedUntil: null })

    const silenced = await mention(writer, quiet, bob.user.username)
    const heard = await mention(writer, normal, bob.user.username)
    await bobTab.nextOfType('notification', event => event.message.clientId === heard)
    expect(bobTab.log.some(event => event.type === 'notification' && event.message.clientId === silenced)).toBe(false)

    expect(await call('GET', '/api/notifications', bob.cookie)).toEqual({
      workspaceDefault: 'all',
      choices: { [quiet]: { level: 'nothing', mutedUntil: null }, [normal]: { level: 'mentions', mutedUntil: null } },
    })
    // Back to the defaults: the choice is forgotten.
    await choose(quiet, bob.cookie, { level: null, mutedUntil: null })
    expect(Object.keys((await call('GET', '/api/notifications', bob.cookie)).choices)).toEqual([normal])
  })

  it('the workspace default decides where nobody chose, and a direct message follows all', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const room = await newRoom(alice.cookie)
    const dm = (await request('POST', '/api/dms', alice.cookie, { username: bob.user.username }).then(response => response.json())).room.name as string
    const writer = await ChatClient.connect(server.url, alice.cookie)
    await writer.join(room)
    await writer.join(dm)
    const bobTab = await ChatClient.connect(server.url, bob.cookie)
    try {
      await call('PATCH', '/api/workspace', owner.cookie, { notificationLevel: 'nothing' })
      expect(await call('GET', `/api/rooms/${room}/notifications`, bob.cookie)).toMatchObject({ level: null, effectiveLevel: 'nothing', defaultLevel: 'nothing' })
      expect(await call('GET', `/api/rooms/${dm}/notifications`, bob.cookie)).toMatchObject({ level: null, effectiveLevel: 'all', defaultLevel: 'all' })

      const silenced = await mention(writer, room, bob.user.username)
      const heard = await mention(writer, dm, bob.user.username)
      await bobTab.nextOfType('notification', event => event.message.clientId === heard)
      expect(bobTab.log.some(event => event.type === 'notification' && event.message.clientId === silenced)).toBe(false)
    }
    finally {
      await call('PATCH', '/api/workspace', owner.cookie, { notificationLevel: 'all' })
    }
  })

  it('refuses a non-member of a private room, an unknown room, a bad choice, and a workspace default from a non-admin', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const mallory = await signIn(server.url, uniqueName('mallory'))
    const secret = await newRoom(alice.cookie, { private: true, members: [] })
    const malloryTab = await ChatClient.connect(server.url, mallory.cookie)

    await expectRefusal(request('GET', `/api/rooms/${secret}/notifications`, mallory.cookie), 404, 'unknown_room')
    await expectRefusal(request('PUT', `/api/rooms/${secret}/notifications`, mallory.cookie, { level: 'all', mutedUntil: null }), 404, 'unknown_room')
    await expectRefusal(request('GET', `/api/rooms/${uniqueName('ghost')}/notifications`, mallory.cookie), 404, 'unknown_room')
    await expectRefusal(request('PUT', `/api/rooms/${secret}/notifications`, alice.cookie, { level: 'loud', mutedUntil: null }), 400, 'invalid_event')
    await expectRefusal(request('PUT', `/api/rooms/${secret}/notifications`, alice.cookie, { level: null, mutedUntil: MUTED_FOREVER + 1 }), 400, 'invalid_event')
    expect((await request('GET', `/api/rooms/${secret}/notifications`, '')).status).toBe(401)
    await expectRefusal(request('PATCH', '/api/workspace', mallory.cookie, { notificationLevel: 'nothing' }), 403, 'forbidden')

    // Mallory's refused attempt left nothing stored and told her tabs nothing.
    expect(await call('GET', '/api/notifications', mallory.cookie)).toEqual({ workspaceDefault: 'all', choices: {} })
    expect(malloryTab.log.some(event => event.type === 'notification-choice')).toBe(false)
    expect(await call('GET', `/api/rooms/${secret}/notifications`, alice.cookie)).toMatchObject({ level: null, mutedUntil: null })
  })
})
