import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { startTcpProxy } from '../unit/support/tcp-proxy'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { DATABASE_URL, dropSchema, scaleOutServices } from './support/services'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

const services = await scaleOutServices()

if (services.available) {
  describe('PostgreSQL briefly unreachable', () => {
    const schema = `banter_outage_${randomBytes(4).toString('hex')}`
    let server: RunningServer | undefined
    afterAll(async () => {
      await server?.stop()
      await dropSchema(schema)
    })

    it('answers sends with unavailable (503 over REST), keeps the socket, and stores the retry once it is back', async () => {
      const target = new URL(DATABASE_URL)
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432))
      const viaProxy = Object.assign(new URL(DATABASE_URL), { host: `127.0.0.1:${proxy.port}` }).toString()
      server = await startServer({ NUXT_DATABASE_URL: viaProxy, NUXT_DATABASE_SCHEMA: schema })
      const { cookie } = await signIn(server.url, uniqueName('patient'))
      const room = await createRoom(server.url, cookie)
      const client = await ChatClient.connect(server.url, cookie)
      await client.join(room)

      await proxy.cut()
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

      await proxy.restore()
      // The client's outbox re-sends under the same clientId; it is stored once, as seq 1.
      client.send({ type: 'chat', room, text: 'during the outage', clientId: 'outage-1' })
      expect(await client.nextOfType('ack', event => event.clientId === 'outage-1', 10_000)).toMatchObject({ seq: 1 })
      await proxy.cut()
    }, 40_000)
  })
}
else {
  it(`the storage outage test needs PostgreSQL (${services.reason})`, () => {
    console.warn(`[storage-outage] not run: ${services.reason}`)
    expect(process.env.CI, 'CI must provide PostgreSQL').toBeUndefined()
  })
}
