import { randomBytes } from 'node:crypto'
import Redis from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { DATABASE_URL, dropSchema, REDIS_URL, scaleOutServices } from './support/services'

closeSocketsAfterEach()

const services = await scaleOutServices()

/**
 * Whoever can reach the Redis channel is not an instance: only messages signed with the deployment's secret
 * are delivered, and what is malformed or unsigned is dropped with one log line, not one per message.
 */
if (services.available) {
  describe('the bus', () => {
    const prefix = `banter-test-trust-${randomBytes(4).toString('hex')}`
    // Redis is only accepted with PostgreSQL (instances sharing a bus must share a database).
    const schema = `banter_trust_${randomBytes(4).toString('hex')}`
    let server: RunningServer
    let intruder: Redis

    beforeAll(async () => {
      server = await startServer({ NUXT_REDIS_URL: REDIS_URL, NUXT_REDIS_PREFIX: prefix, NUXT_DATABASE_URL: DATABASE_URL, NUXT_DATABASE_SCHEMA: schema })
      intruder = new Redis(REDIS_URL)
    }, 60_000)
    afterAll(async () => {
      intruder?.disconnect()
      await server?.stop()
      await dropSchema(schema)
    })

    it('drops a forged chat event and malformed messages, delivers the real ones, and logs the intrusion once', async () => {
      const { cookie, user } = await signIn(server.url, uniqueName('reader'))
      const room = await createRoom(server.url, cookie)
      const client = await ChatClient.connect(server.url, cookie)
      await client.join(room)
      const forged = {
        kind: 'event',
        room,
        event: { type: 'chat', room, id: 'forged', seq: 1, user, text: 'FORGED', ts: Date.now(), clientId: 'forged' },
      }
      for (let index = 0; index < 20; index++) {
        await intruder.publish(`${prefix}:events`, JSON.stringify(forged))
        await intruder.publish(`${prefix}:events`, `x.${JSON.stringify({ kind: 'batch', messages: [forged, forged] })}`)
        await intruder.publish(`${prefix}:events`, 'not json at all')
        await intruder.publish(`${prefix}:events`, `x.${JSON.stringify({ kind: 'close-user', userId: user.id, code: 1008, reason: 'forged' })}`)
      }
      client.send({ type: 'chat', room, text: 'real', clientId: 'real-1' })
      const delivered = await client.nextOfType('chat', event => event.clientId === 'real-1')
      expect(delivered).toMatchObject({ seq: 1, text: 'real' })
      expect(client.log.filter(event => event.type === 'chat').map(event => (event as { text: string }).text)).toEqual(['real'])
      expect(client.socket.readyState).toBe(client.socket.OPEN)
      expect(server.output().match(/without a valid signature/g)).toHaveLength(1)
    })
  })
}
else {
  it(`the bus tests need Redis (${services.reason})`, () => {
    expect(process.env.CI, 'CI must have Redis').toBeUndefined()
  })
}
