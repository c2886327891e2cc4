import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { ResumingClient } from './support/resuming-client'
import { restartRedis, scaleOutServices } from './support/services'
import { twoInstances } from './support/two-instances'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

const services = await scaleOutServices()

/**
 * Two production servers sharing this machine's Redis and PostgreSQL behave as one server to every client.
 * Each run uses its own Redis channel prefix and PostgreSQL schema, dropped at the end.
 */
if (services.available) {
  describe('two instances on Redis and PostgreSQL', () => {
    const deployment = twoInstances('scale', {
      NUXT_LIMITS_MESSAGES_PER_SECOND: '0',
      NUXT_LIMITS_FRAMES_PER_SECOND: '0',
      // Instances also resync from storage every heartbeat: a short one bounds the Redis-restart test.
      NUXT_LIMITS_HEARTBEAT_INTERVAL_MS: '2000',
    })
    const { env } = deployment
    let a: RunningServer
    let b: RunningServer

    beforeAll(async () => void ([a, b] = await deployment.start()), 60_000)
    afterAll(() => deployment.stop())

    /** Clients on both instances, all in one new room. */
    async function clientsOnBoth(count: number) {
      const room = await createRoom(a.url, (await signIn(a.url, uniqueName('owner'))).cookie)
      const clients: ResumingClient[] = []
      for (let index = 0; index < count; index++) {
        const server = index % 2 === 0 ? a : b
        const name = uniqueName(`member${index}`)
        const { cookie } = await signIn(server.url, name)
        clients.push(new ResumingClient(() => server.url, cookie, room, name))
      }
      return { room, clients }
    }

    it('reports PostgreSQL and Redis in health, and shares sessions, names and rooms', async () => {
      for (const server of [a, b]) {
        const health = await (await fetch(`${server.url}/api/health`)).json()
        expect(health).toMatchObject({ status: 'ok', storage: { kind: 'postgres', reachable: true }, bus: { kind: 'redis', reachable: true } })
      }
      const name = uniqueName('held')
      const { cookie } = await signIn(a.url, name)
      const taken = await fetch(`${b.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) })
      await expectRefusal(taken, 409, 'name_taken')
      expect((await fetch(`${b.url}/api/session`, { headers: { cookie } })).status).toBe(200)

      const watcher = await ChatClient.connect(b.url, cookie)
      const room = await createRoom(a.url, cookie)
      expect(await watcher.nextOfType('room', event => event.room.name === room)).toBeTruthy()
    })

    it('delivers messages across instances, in one gap-free order, while everyone sends at once', async () => {
      const { room, clients } = await clientsOnBoth(6)
      clients.forEach(client => client.start())
      await Promise.all(clients.map(client => client.until(() => client.reconnects === 0 && client.outbox.size === 0)))
      for (let round = 0; round < 40; round++) clients.forEach(client => client.send())
      await Promise.all(clients.map(client => client.until(() => client.outbox.size === 0)))
      await Promise.all(clients.map(client => client.until(() => client.lastSeq >= 240)))
      clients.forEach(client => client.stop())
      for (const client of clients) {
        expect(client.violations, client.name).toEqual([])
        expect(client.seqs).toEqual(Array.from({ length: 240 }, (_, index) => index + 1))
        expect([...client.clientIdBySeq.values()]).toEqual([...clients[0]!.clientIdBySeq.values()])
      }
      expect(room).toBeTruthy()
    }, 30_000)

    it('shows one presence list and typing across instances', async () => {
      const alice = await signIn(a.url, uniqueName('alice'))
      const bob = await signIn(b.url, uniqueName('bob'))
      const room = await createRoom(a.url, alice.cookie)
      const onA = await ChatClient.connect(a.url, alice.cookie)
      await onA.join(room)
      const onB = await ChatClient.connect(b.url, bob.cookie)
      await onB.join(room)
      const snapshot = await onB.nextOfType('presence', event => event.snapshot)
      expect(snapshot.users.map(entry => entry.user.name).sort()).toEqual([alice.user.name, bob.user.name].sort())
      expect(await onA.nextOfType('presence', event => event.users[0]?.user.id === bob.user.id)).toMatchObject({ users: [{ state: 'online' }] })
      onB.send({ type: 'typing', room })
      expect(await onA.nextOfType('typing')).toMatchObject({ user: bob.user, active: true })
      onB.close()
      expect(await onA.nextOfType('presence', event => event.users[0]?.state === 'offline')).toMatchObject({ users: [{ user: bob.user }] })
    })

    it('follows a thread across instances: its reply\'s followers are stored, and a read reaches the reader\'s tabs on both', async () => {
      const alice = await signIn(a.url, uniqueName('named'))
      const bob = await signIn(b.url, uniqueName('starter'))
      const room = await createRoom(a.url, alice.cookie)
      const tabOnA = await ChatClient.connect(a.url, alice.cookie)
      await tabOnA.join(room)
      const tabOnB = await ChatClient.connect(b.url, alice.cookie)
      const bobOnB = await ChatClient.connect(b.url, bob.cookie)
      await bobOnB.join(room)
      bobOnB.send({ type: 'chat', room, text: 'what about the plan?', clientId: 'root-1' })
      const root = await tabOnA.nextOfType('chat', event => event.clientId === 'root-1')
      bobOnB.send({ type: 'chat', room, text: `@${alice.user.username} it is ready`, clientId: 'reply-1', threadId: root.id })
      const reply = await tabOnA.nextOfType('chat', event => event.clientId === 'reply-1')
      await tabOnA.nextOfType('update', event => event.message.id === root.id)
      const listed = await (await fetch(`${a.url}/api/rooms/${room}/threads`, { headers: { cookie: alice.cookie } })).json()
      expect(listed.threads).toEqual([{ rootId: root.id, readSeq: reply.seq - 1, unread: [{ id: reply.id, seq: reply.seq }] }])

      tabOnA.send({ type: 'thread-read', room, rootId: root.id, seq: reply.seq })
      expect(await tabOnB.nextOfType('thread-read')).toEqual({ type: 'thread-read', room, rootId: root.id, seq: reply.seq })
      const after = await (await fetch(`${b.url}/api/rooms/${room}/threads`, { headers: { cookie: alice.cookie } })).json()
      expect(after.threads).toEqual([{ rootId: root.id, readSeq: reply.seq, unread: [] }])
    })

    it('closes a signed-out user\'s sockets on the other instance too', async () => {
      const { cookie } = await signIn(a.url, uniqueName('leaver'))
      const onB = await ChatClient.connect(b.url, cookie)
      await fetch(`${a.url}/api/session`, { method: 'DELETE', headers: { cookie } })
      expect((await onB.closed).code).toBe(1008)
    })

    it('loses nothing while Redis restarts: instances reconnect and fill the gap from storage', async () => {
      const { clients } = await clientsOnBoth(4)
      clients.forEach(client => client.start())
      await Promise.all(clients.map(client => client.until(() => client.outbox.size === 0)))
      for (let round = 0; round < 10; round++) clients.forEach(client => client.send())
      await restartRedis(async () => {
        for (let round = 0; round < 10; round++) clients.forEach(client => client.send())
        await Promise.all(clients.map(client => client.until(() => client.outbox.size === 0)))
      })
      for (let round = 0; round < 10; round++) clients.forEach(client => client.send())
      await Promise.all(clients.map(client => client.until(() => client.outbox.size === 0)))
      await Promise.all(clients.map(client => client.until(() => client.lastSeq >= 120)))
      clients.forEach(client => client.stop())
      for (const client of clients) {
        expect(client.violations, client.name).toEqual([])
        expect(client.seqs).toEqual(Array.from({ length: 120 }, (_, index) => index + 1))
      }
    }, 40_000)

    it('counts a user\'s connections across instances, and forgets those of a dead instance', async () => {
      const heartbeatMs = 300
      const capped = { ...env, NUXT_LIMITS_MAX_CONNECTIONS_PER_USER: '3', NUXT_LIMITS_HEARTBEAT_INTERVAL_MS: String(heartbeatMs) }
      const [c, d] = await Promise.all([startServer(capped), startServer(capped)])
      try {
        const { cookie } = await signIn(c.url, uniqueName('tabs'))
        const open = [await ChatClient.connect(c.url, cookie), await ChatClient.connect(c.url, cookie), await ChatClient.connect(d.url, cookie)]
        await expect(ChatClient.connect(d.url, cookie)).rejects.toThrow('upgrade refused: 429')
        open[2]!.close()
        await open[2]!.closed
        // The count on d drops with the close; the refusal above was about c's sockets too.
        const onD = await ChatClient.connect(d.url, cookie)
        c.process.kill('SIGKILL')
        await Promise.all([open[0]!.closed, open[1]!.closed])
        // c's entry expires three heartbeats after its last renewal, made before it died: a heartbeat d sends
        // later than that tells the test the entry is gone, and c's sockets no longer count.
        const diedBy = Date.now()
        await onD.nextOfType('heartbeat', event => event.ts >= diedBy + 3 * heartbeatMs)
        const accepted = await ChatClient.connect(d.url, cookie).catch(() => null)
        expect(accepted).not.toBeNull()
      }
      finally {
        await Promise.all([c.stop(), d.stop()])
      }
    }, 40_000)

    it('moves the clients of a killed instance to the other one without losing a message', async () => {
      const c = await startServer(env)
      const room = await createRoom(b.url, (await signIn(b.url, uniqueName('owner'))).cookie)
      let cAlive = true
      const clients: ResumingClient[] = []
      for (let index = 0; index < 4; index++) {
        const name = uniqueName(`mover${index}`)
        const onC = index < 2
        const { cookie } = await signIn(onC ? c.url : b.url, name)
        // A load balancer's view: instance c while it lives, then b.
        clients.push(new ResumingClient(() => (onC && cAlive ? c.url : b.url), cookie, room, name))
      }
      clients.forEach(client => client.start())
      for (let round = 0; round < 10; round++) clients.forEach(client => client.send())
      await Promise.all(clients.map(client => client.until(() => client.outbox.size === 0)))
      cAlive = false
      c.process.kill('SIGKILL')
      for (let round = 0; round < 10; round++) clients.forEach(client => client.send())
      await Promise.all(clients.map(client => client.until(() => client.outbox.size === 0)))
      await Promise.all(clients.map(client => client.until(() => client.lastSeq >= 80)))
      clients.forEach(client => client.stop())
      await c.stop()
      for (const client of clients) {
        expect(client.violations, client.name).toEqual([])
        expect(client.seqs).toEqual(Array.from({ length: 80 }, (_, index) => index + 1))
      }
      expect(clients[0]!.reconnects).toBeGreaterThan(0)
    }, 40_000)
  })
}
else {
  // Not a skip: on a laptop without the services this says why nothing ran; in CI (CI set) it fails.
  it(`scale-out tests need Redis and PostgreSQL (${services.reason})`, () => {
    console.warn(`[scale-out] not run: ${services.reason}`)
    expect(process.env.CI, 'CI must provide Redis and PostgreSQL').toBeUndefined()
  })
}
