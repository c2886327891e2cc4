import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../support/server'
import { signIn, uniqueName } from './support/client'
import { scaleOutServices } from './support/services'
import { twoInstances } from './support/two-instances'

const services = await scaleOutServices()

/** Sign-ins, uploads and rooms created are counted over Redis: a client that spreads over instances gets one rate. */
if (services.available) {
  describe('rates across two instances', () => {
    const deployment = twoInstances('rates', {
      NUXT_LIMITS_SIGN_INS_PER_MINUTE: '4',
      NUXT_LIMITS_UPLOADS_PER_MINUTE: '2',
      NUXT_LIMITS_ROOMS_PER_HOUR: '2',
    })
    let a: RunningServer
    let b: RunningServer

    beforeAll(async () => void ([a, b] = await deployment.start()), 60_000)
    afterAll(() => deployment.stop())

    const post = (server: RunningServer, path: string, cookie: string | null, body: BodyInit, type = 'application/json') =>
      fetch(`${server.url}${path}`, { method: 'POST', headers: { origin: server.url, 'content-type': type, ...(cookie && { cookie }) }, body })

    it('holds one client address to one sign-in rate, whichever instance each attempt reaches', async () => {
      // The first two sign-ins of this file's address go to the tests below; two more are left.
      const ada = await signIn(a.url, uniqueName('ada'))
      const bob = await signIn(b.url, uniqueName('bob'))
      expect([ada.user.id, bob.user.id].every(Boolean)).toBe(true)
      expect((await post(a, '/api/session', null, JSON.stringify({ name: uniqueName('cy') }))).status).toBe(200)
      expect((await post(b, '/api/session', null, JSON.stringify({ name: uniqueName('di') }))).status).toBe(200)
      const refused = await post(a, '/api/session', null, JSON.stringify({ name: uniqueName('ed') }))
      expect(refused.status).toBe(429)
      expect((await refused.json()).data.code).toBe('rate_limited')
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
      expect((await post(b, '/api/session', null, JSON.stringify({ name: uniqueName('fi') }))).status).toBe(429)

      // The same user's uploads and new rooms: one rate over both instances.
      const upload = (server: RunningServer) => post(server, '/api/rooms/general/uploads?name=note.txt', ada.cookie, 'a note', 'text/plain')
      expect((await upload(a)).status).toBe(201)
      expect((await upload(b)).status).toBe(201)
      const thirdUpload = await upload(a)
      expect(thirdUpload.status).toBe(429)
      expect((await thirdUpload.json()).data.code).toBe('rate_limited')
      const room = (server: RunningServer) => post(server, '/api/rooms', bob.cookie, JSON.stringify({ name: uniqueName('r') }))
      expect((await room(b)).status).toBe(201)
      expect((await room(a)).status).toBe(201)
      expect((await room(b)).status).toBe(429)
    })
  })
}
else {
  // Not a skip: without Redis and PostgreSQL this says why nothing ran; in CI (CI set) it fails.
  it('rates across instances need Redis and PostgreSQL', () => {
    console.warn(`[rates] ${services.reason}: the shared rates across instances were not tested`)
    expect(process.env.CI, 'CI must provide Redis and PostgreSQL').toBeUndefined()
  })
}
