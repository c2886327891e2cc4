import { Client } from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ROOM } from '#shared/protocol'
import type { RunningServer } from '../support/server'
import { ChatClient, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'
import { api, createPrivateRoom, roomTextsAfterRoundTrip } from './support/room-admin'
import { DATABASE_URL, scaleOutServices } from './support/services'
import { twoInstances } from './support/two-instances'

closeSocketsAfterEach()

const services = await scaleOutServices()

/** Membership changes made on one instance hold at once on the other (Redis bus, PostgreSQL storage). */
if (services.available) {
  describe('room members across two instances', () => {
    const deployment = twoInstances('members', {
      NUXT_LIMITS_MESSAGES_PER_SECOND: '0',
      NUXT_LIMITS_FRAMES_PER_SECOND: '0',
    })
    const { schema } = deployment
    let a: RunningServer
    let b: RunningServer

    beforeAll(async () => void ([a, b] = await deployment.start()), 60_000)
    afterAll(() => deployment.stop())

    async function auditActions(targetId: string): Promise<string[]> {
      const client = new Client({ connectionString: DATABASE_URL })
      await client.connect()
      try {
        const { rows } = await client.query(`SELECT action FROM "${schema}".audit_log WHERE target_id = $1 ORDER BY id`, [targetId])
        return rows.map(row => row.action)
      }
      finally {
        await client.end()
      }
    }

    it('lets a member added on one instance in on the other, and a member removed there hears nothing more of the room', async () => {
      const owner = await signIn(a.url, uniqueName('owner'))
      const bob = await signIn(b.url, uniqueName('bob'))
      const carol = await signIn(b.url, uniqueName('carol'))
      const room = await createPrivateRoom(a.url, owner.cookie, [bob.user.name])
      const bobThere = await ChatClient.connect(b.url, bob.cookie)
      const carolThere = await ChatClient.connect(b.url, carol.cookie)
      await bobThere.join(room)
      // Instance b now knows the room's members, and carol is not one of them.
      carolThere.send({ type: 'join', room })
      expect(await carolThere.nextOfType('error', event => event.ref === room)).toMatchObject({ code: 'unknown_room' })

      expect((await api(a.url, owner.cookie, 'POST', `/api/rooms/${room}/members`, { username: carol.user.name })).status).toBe(200)
      await carolThere.nextOfType('room', event => event.room.name === room)
      await carolThere.join(room)

      const say = (text: string) => api(a.url, owner.cookie, 'POST', `/api/rooms/${room}/messages`, { text, clientId: text })
      await say('before')
      await bobThere.nextOfType('chat', event => event.text === 'before')
      expect((await api(a.url, owner.cookie, 'DELETE', `/api/rooms/${room}/members/${bob.user.id}`)).status).toBe(204)
      await bobThere.nextOfType('room-removed', event => event.room === room)
      await say('after')
      // Carol, on bob's instance, hears it: anything bob could have got was delivered in the same turn.
      await carolThere.nextOfType('chat', event => event.text === 'after')
      expect(await roomTextsAfterRoundTrip(bobThere, room, DEFAULT_ROOM)).toEqual(['before'])
      await expectRefusal(api(b.url, bob.cookie, 'GET', `/api/rooms/${room}/messages`), 404, 'unknown_room')
      expect(await auditActions(room)).toEqual(['room.member_added', 'room.member_removed'])
    })

    it('keeps slow mode across instances: a message on one counts on the other', async () => {
      const owner = await signIn(a.url, uniqueName('owner'))
      const member = await signIn(a.url, uniqueName('member'))
      const room = uniqueName('slow')
      expect((await api(a.url, owner.cookie, 'POST', '/api/rooms', { name: room })).status).toBe(201)
      expect((await api(a.url, owner.cookie, 'PATCH', `/api/rooms/${room}`, { slowModeSeconds: 60 })).status).toBe(200)
      expect((await api(a.url, member.cookie, 'POST', `/api/rooms/${room}/messages`, { text: 'one', clientId: 'one' })).status).toBe(201)
      const onB = await ChatClient.connect(b.url, member.cookie)
      await onB.join(room)
      onB.send({ type: 'chat', room, text: 'two', clientId: 'two' })
      expect(await onB.nextOfType('error', event => event.ref === 'two')).toMatchObject({ code: 'slow_mode' })
    })
  })
}
else {
  it(`the room members scale-out test needs Redis and PostgreSQL (${services.reason})`, () => {
    console.warn(`[room-members-scale-out] not run: ${services.reason}`)
    expect(process.env.CI, 'CI must provide Redis and PostgreSQL').toBeUndefined()
  })
}
