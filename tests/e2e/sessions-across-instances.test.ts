import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../support/server'
import { ChatClient, logIn, register, signIn, uniqueName } from './support/client'
import { scaleOutServices } from './support/services'
import { twoInstances } from './support/two-instances'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

const services = await scaleOutServices()

/** How soon a revocation must hold on another instance. */
const WITHIN_MS = 1000

/**
 * Sessions live in the shared database and revocations travel on the bus: a session ended on one instance is
 * refused by the other within a second, over REST, for a new socket, and for a socket already open there.
 */
if (services.available) {
  describe('sessions across two instances', () => {
    const deployment = twoInstances('sessions')
    let a: RunningServer
    let b: RunningServer

    beforeAll(async () => void ([a, b] = await deployment.start()), 60_000)
    afterAll(() => deployment.stop())

    it('refuses a signed-out cookie on the other instance within a second: REST, new sockets, open sockets (1008)', async () => {
      const { cookie } = await signIn(a.url, uniqueName('roamer'))
      const openOnB = await ChatClient.connect(b.url, cookie)
      const copy = cookie
      const signedOutAt = Date.now()
      expect((await fetch(`${a.url}/api/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(204)
      const closed = await openOnB.closed
      expect(closed.code).toBe(1008)
      await expectRefusal(fetch(`${b.url}/api/session`, { headers: { cookie: copy } }), 401, 'unauthorized')
      await expect(ChatClient.connect(b.url, copy)).rejects.toThrow(/401/)
      expect(Date.now() - signedOutAt).toBeLessThan(WITHIN_MS)
    })

    it('ends the other sessions on every instance when the password changes', async () => {
      const username = uniqueName('mover')
      const here = await register(a.url, username, 'first password')
      const there = await logIn(b.url, username, 'first password')
      const socketThere = await ChatClient.connect(b.url, there.cookie)
      const changed = await fetch(`${a.url}/api/account/password`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', cookie: here.cookie },
        body: JSON.stringify({ current: 'first password', password: 'second password' }),
      })
      expect(changed.status).toBe(200)
      expect((await socketThere.closed).code).toBe(1008)
      await expectRefusal(fetch(`${b.url}/api/session`, { headers: { cookie: there.cookie } }), 401, 'unauthorized')
      expect((await fetch(`${b.url}/api/session`, { headers: { cookie: here.cookie } })).status).toBe(200)
    })

    it('gives sockets on the other instance a rename at once', async () => {
      const username = uniqueName('renamer')
      const user = await register(a.url, username)
      const room = (await (await fetch(`${a.url}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: user.cookie },
        body: JSON.stringify({ name: uniqueName('renames') }),
      })).json()).room.name
      const socketOnB = await ChatClient.connect(b.url, user.cookie)
      await socketOnB.join(room)
      const newName = uniqueName('renamed')
      const renamed = await fetch(`${a.url}/api/account`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', cookie: user.cookie },
        body: JSON.stringify({ username: newName }),
      })
      expect(renamed.status).toBe(200)
      // The rename travels on the bus; a message sent after the bus delivered it carries the new name.
      await expect.poll(async () => {
        socketOnB.send({ type: 'chat', room, text: 'who am I', clientId: uniqueName('probe') })
        return (await socketOnB.nextOfType('chat')).user.username
      }, { timeout: WITHIN_MS * 3, interval: 50 }).toBe(newName)
    })
  })
}
else {
  it(`the cross-instance session tests need Redis and PostgreSQL (${services.reason})`, () => {
    expect(process.env.CI, 'CI must have Redis and PostgreSQL').toBeFalsy()
  })
}
