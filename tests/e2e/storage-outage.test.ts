import { randomBytes } from 'node:crypto'
import { Client } from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { startTcpProxy } from '../support/tcp-proxy'
import type { TcpProxy } from '../support/tcp-proxy'
import { ChatClient, createRoom, logIn, register, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import sharp from 'sharp'
import webPush from 'web-push'
import { apiRouteFiles, everyRoute, summarize } from './support/rest-routes'
import type { RouteCall } from './support/rest-routes'
import { DATABASE_URL, dropSchema, scaleOutServices } from './support/services'

closeSocketsAfterEach()

const services = await scaleOutServices()

if (services.available) {
  describe('PostgreSQL briefly unreachable', () => {
    const schema = `banter_outage_${randomBytes(4).toString('hex')}`
    let proxy: TcpProxy
    let server: RunningServer

    beforeAll(async () => {
      const target = new URL(DATABASE_URL)
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432))
      const viaProxy = Object.assign(new URL(DATABASE_URL), { host: `127.0.0.1:${proxy.port}` }).toString()
      // Push on (with a loopback push service allowed), so its routes answer rather than refuse.
      const vapid = webPush.generateVAPIDKeys()
      server = await startServer({
        NUXT_DATABASE_URL: viaProxy, NUXT_DATABASE_SCHEMA: schema, NUXT_PUSH_ALLOW_INSECURE_ENDPOINTS: 'true',
        NUXT_VAPID_PUBLIC_KEY: vapid.publicKey, NUXT_VAPID_PRIVATE_KEY: vapid.privateKey, NUXT_VAPID_SUBJECT: 'mailto:ops@banter.example.com',
      })
    })
    afterAll(async () => {
      await server?.stop()
      await proxy?.cut()
      await dropSchema(schema)
    })

    /** Runs `during` with the database cut off, and gives it back whatever happens. */
    async function withStorageDown(during: () => Promise<void>): Promise<void> {
      await proxy.cut()
      try {
        await during()
      }
      finally {
        await proxy.restore()
      }
    }

    it('answers sends with unavailable (503 over REST), keeps the socket, and stores the retry once it is back', async () => {
      const { cookie } = await signIn(server.url, uniqueName('patient'))
      const room = await createRoom(server.url, cookie)
      const client = await ChatClient.connect(server.url, cookie)
      await client.join(room)

      await withStorageDown(async () => {
        client.send({ type: 'chat', room, text: 'during the outage', clientId: 'outage-1' })
        expect(await client.nextOfType('error', event => event.ref === 'outage-1', 10_000)).toMatchObject({ code: 'unavailable' })
        const rest = await fetch(`${server.url}/api/rooms/${room}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ text: 'rest during the outage', clientId: 'outage-2' }),
        })
        expect(rest.status).toBe(503)
        expect((await rest.json()).data.code).toBe('unavailable')
        const health = await fetch(`${server.url}/api/health`)
        expect(health.status).toBe(503)
        expect((await health.json()).storage).toMatchObject({ kind: 'postgres', reachable: false })
      })

      // The client's outbox re-sends under the same clientId; it is stored once, as seq 1.
      client.send({ type: 'chat', room, text: 'during the outage', clientId: 'outage-1' })
      expect(await client.nextOfType('ack', event => event.clientId === 'outage-1', 10_000)).toMatchObject({ seq: 1 })
    }, 40_000)

    it('answers every REST route 503 unavailable (health: storage down) while it is away, and serves them all once it is back', async () => {
      const author = await signIn(server.url, uniqueName('author'))
      const friend = await signIn(server.url, uniqueName('friend'))
      // Signed in and not heard from since: the next request must write the user's activity to storage.
      const quiet = await signIn(server.url, uniqueName('quiet'))
      const room = await createRoom(server.url, author.cookie)
      const posted = await fetch(`${server.url}/api/rooms/${room}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: author.cookie },
        body: JSON.stringify({ text: 'before the outage', clientId: 'before' }),
      })
      expect(posted.status).toBe(201)
      const password = 'the member password'
      const member = { ...(await register(server.url, uniqueName('member'), password)), password, otherSessionCookie: '' }
      member.otherSessionCookie = (await logIn(server.url, member.user.username, password)).cookie
      const leaver = await signIn(server.url, uniqueName('leaver'))
      const memberPasskeyId = `outage-passkey-${randomBytes(4).toString('hex')}`
      const admin = new Client({ connectionString: DATABASE_URL })
      await admin.connect()
      await admin.query(`INSERT INTO "${schema}".passkeys (id, user_id, public_key, counter, created_at) VALUES ($1, $2, 'not-a-key', 0, 1)`, [memberPasskeyId, member.user.id])
      await admin.end()
      const image = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#08f' } }).png().toBuffer()
      const uploaded = await fetch(`${server.url}/api/rooms/${room}/uploads?name=dot.png`, {
        method: 'POST', headers: { 'cookie': author.cookie, 'content-type': 'image/png' }, body: image,
      })
      expect(uploaded.status).toBe(201)
      const fileId: string = (await uploaded.json()).attachment.id
      const routes = everyRoute({ author, friend, quiet, member, leaver, memberPasskeyId, room, messageId: (await posted.json()).id, fileId })
      expect(routes.map(route => route.name).sort()).toEqual(apiRouteFiles().sort())

      const logBefore = server.output().length
      await withStorageDown(async () => {
        const answers: Record<string, string> = {}
        for (const route of routes) answers[route.name] = await summarize(await route.call(server.url))
        // Dozens of refused requests, and the log says so once a minute, not once each.
        expect(server.output().slice(logBefore).match(/storage unavailable/g)?.length ?? 0).toBeLessThanOrEqual(1)
        const expected = (route: RouteCall) => {
          if (route.name === 'GET /api/health') return '503 storage down'
          if (route.name.startsWith('HEAD ')) return '503 with no body'
          // Settings read within the last second may still be served; anything else is the outage's answer.
          return route.mayAnswerFromCache && answers[route.name] === String(route.succeedsWith) ? answers[route.name] : '503 unavailable'
        }
        expect(answers).toEqual(Object.fromEntries(routes.map(route => [route.name, expected(route)])))
      })

      // Nothing was half-done during the outage: the same requests now succeed as if asked for the first time.
      const answers: Record<string, string> = {}
      for (const route of routes) answers[route.name] = await summarize(await route.call(server.url))
      expect(answers).toEqual(Object.fromEntries(routes.map(route => [route.name, String(route.succeedsWith)])))
    }, 40_000)
  })
}
else {
  it(`the storage outage test needs PostgreSQL (${services.reason})`, () => {
    console.warn(`[storage-outage] not run: ${services.reason}`)
    expect(process.env.CI, 'CI must provide PostgreSQL').toBeUndefined()
  })
}
