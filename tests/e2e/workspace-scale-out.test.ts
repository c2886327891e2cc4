import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'
import { scaleOutServices } from './support/services'
import { twoInstances } from './support/two-instances'
import { api, apiOk, postLogin, register } from './support/workspace'
import type { Member } from './support/workspace'

closeSocketsAfterEach()

const services = await scaleOutServices()

/** Moderation on two instances sharing Redis and PostgreSQL: what an admin does on one holds on the other at once. */
if (services.available) {
  describe('workspace moderation across two instances', () => {
    const deployment = twoInstances('ws', {
      NUXT_LIMITS_MESSAGES_PER_SECOND: '0',
      NUXT_LIMITS_FRAMES_PER_SECOND: '0',
    })
    let a: RunningServer
    let b: RunningServer
    let owner: Member

    beforeAll(async () => {
      [a, b] = await deployment.start()
      owner = await register(a.url, 'owner')
    }, 60_000)
    afterAll(() => deployment.stop())

    it('closes a banned user\'s sockets on both instances within a second, drops them from presence there, and refuses them on both', async () => {
      expect(owner.role).toBe('owner')
      const banned = await register(b.url, 'troll')
      const watcher = await register(b.url, 'watcher')
      const room = await createRoom(a.url, watcher.cookie)
      const watchingOnB = await ChatClient.connect(b.url, watcher.cookie)
      await watchingOnB.join(room)
      const onA = await ChatClient.connect(a.url, banned.cookie)
      const onB = await ChatClient.connect(b.url, banned.cookie)
      await onA.join(room)
      await watchingOnB.nextOfType('presence', event => event.users.some(entry => entry.user.id === banned.user.id && entry.state === 'online'))

      const bannedAt = Date.now()
      await apiOk(a.url, owner.cookie, 'POST', `/api/workspace/members/${banned.user.id}/suspension`, {})
      const closes = await Promise.all([onA.closed, onB.closed])
      expect(Date.now() - bannedAt).toBeLessThan(1000)
      expect(closes.map(close => close.code)).toEqual([1008, 1008])
      await watchingOnB.nextOfType('presence', event => event.users.some(entry => entry.user.id === banned.user.id && entry.state === 'offline'))

      for (const server of [a, b]) {
        await expectRefusal(api(server.url, banned.cookie, 'GET', '/api/session'), 401, 'unauthorized')
        await expectRefusal(postLogin(server.url, banned.username, banned.password), 403, 'suspended')
        await expect(ChatClient.connect(server.url, banned.cookie)).rejects.toThrow('upgrade refused: 401')
      }
      const { entries } = await apiOk<{ entries: { action: string, targetId: string }[] }>(b.url, owner.cookie, 'GET', '/api/audit?limit=1')
      expect(entries[0]).toMatchObject({ action: 'user.banned', targetId: banned.user.id })
    })

    it('closes guest sockets on both instances within a second when guests are turned off on one', async () => {
      const guestA = await signIn(a.url, uniqueName('guest-a'))
      const guestB = await signIn(b.url, uniqueName('guest-b'))
      const sockets = [await ChatClient.connect(a.url, guestA.cookie), await ChatClient.connect(b.url, guestB.cookie)]
      try {
        const offAt = Date.now()
        await apiOk(a.url, owner.cookie, 'PATCH', '/api/workspace', { guests: false })
        const closes = await Promise.all(sockets.map(socket => socket.closed))
        expect(Date.now() - offAt).toBeLessThan(1000)
        expect(closes.map(close => close.code)).toEqual([1008, 1008])
        await expectRefusal(api(b.url, '', 'POST', '/api/session', { name: uniqueName('late') }), 403, 'guests_disabled')
      }
      finally {
        await apiOk(a.url, owner.cookie, 'PATCH', '/api/workspace', { guests: true })
      }
    })
  })
}
else {
  // Not a skip: on a laptop without the services this says why nothing ran; in CI (CI set) it fails.
  it(`workspace moderation across two instances needs Redis and PostgreSQL (${services.reason})`, () => {
    expect(process.env.CI, 'CI must provide Redis and PostgreSQL').toBeUndefined()
  })
}
