import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { freePort, startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { startTcpProxy } from '../support/tcp-proxy'
import type { TcpProxy } from '../support/tcp-proxy'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { DATABASE_URL, dropSchema, scaleOutServices } from './support/services'

closeSocketsAfterEach()

const services = await scaleOutServices()

interface Health {
  status: string
  version: string
  instance: string
  uptimeSeconds: number
  storage: { kind: string, reachable: boolean }
  bus: { kind: string, reachable: boolean }
}

/** GET /api/health, with how long it took. */
async function health(url: string): Promise<{ status: number, body: Health, ms: number }> {
  const started = performance.now()
  const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) })
  return { status: response.status, body: await response.json() as Health, ms: performance.now() - started }
}

/** The server's JSON log lines. */
function logLines(server: RunningServer): Record<string, unknown>[] {
  return server.output().split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as Record<string, unknown>)
}

describe('health', () => {
  it('says version and instance', async () => {
    const server = await startServer({ NUXT_INSTANCE_ID: 'e2e-health-1' })
    try {
      const { status, body } = await health(server.url)
      expect(status).toBe(200)
      expect(body).toMatchObject({ status: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/), instance: 'e2e-health-1' })
    }
    finally {
      await server.stop()
    }
  })
})

if (services.available) {
  describe('Redis unreachable', () => {
    const schema = `banter_noredis_${randomBytes(4).toString('hex')}`
    let server: RunningServer

    beforeAll(async () => {
      // Nothing listens on this port: every connection attempt is refused, as with Redis down.
      const closedPort = await freePort()
      server = await startServer({ NUXT_DATABASE_URL: DATABASE_URL, NUXT_DATABASE_SCHEMA: schema, NUXT_REDIS_URL: `redis://127.0.0.1:${closedPort}` }, { ready: 'answering' })
      // PostgreSQL migrates a fresh schema first; only the bus is meant to be down.
      await vi.waitFor(async () => expect((await health(server.url)).body.storage.reachable).toBe(true), { timeout: 15_000, interval: 100 })
    })
    afterAll(async () => {
      await server?.stop()
      await dropSchema(schema)
    })

    it('health answers within a second, 503, and says the bus is the one down', async () => {
      for (let check = 0; check < 3; check++) {
        const { status, body, ms } = await health(server.url)
        expect(status).toBe(503)
        expect(ms).toBeLessThan(1000)
        expect(body).toMatchObject({ status: 'degraded', storage: { kind: 'postgres', reachable: true }, bus: { kind: 'redis', reachable: false } })
      }
    })

    it('still delivers a message live to the sockets of this instance', async () => {
      const alice = await signIn(server.url, uniqueName('alice'))
      const bob = await signIn(server.url, uniqueName('bob'))
      const room = await createRoom(server.url, alice.cookie)
      const sender = await ChatClient.connect(server.url, alice.cookie)
      const listener = await ChatClient.connect(server.url, bob.cookie)
      await sender.join(room)
      await listener.join(room)
      sender.send({ type: 'chat', room, text: 'no redis, still here', clientId: 'live-1' })
      expect(await listener.nextOfType('chat', event => event.clientId === 'live-1', 5000)).toMatchObject({ text: 'no redis, still here' })
      expect(await sender.nextOfType('chat', event => event.clientId === 'live-1', 5000)).toMatchObject({ room })
    })

    it('says Redis is unreachable once, not every reconnect attempt of every connection', async () => {
      // ioredis retries every 2 s per connection (three here): after 6 s that would have been several lines.
      await vi.waitFor(async () => expect((await health(server.url)).body.uptimeSeconds).toBeGreaterThanOrEqual(6), { timeout: 12_000, interval: 500 })
      const lines = logLines(server).filter(line => line.event === 'redis-unreachable')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatchObject({ level: 'warn', instance: expect.any(String), time: expect.any(String) })
    }, 20_000)
  })

  describe('PostgreSQL down while the instance starts', () => {
    const schema = `banter_latepg_${randomBytes(4).toString('hex')}`
    let proxy: TcpProxy
    let server: RunningServer

    beforeAll(async () => {
      const target = new URL(DATABASE_URL)
      proxy = await startTcpProxy(target.hostname, Number(target.port || 5432))
      await proxy.cut()
      const viaProxy = Object.assign(new URL(DATABASE_URL), { host: `127.0.0.1:${proxy.port}` }).toString()
      server = await startServer({ NUXT_DATABASE_URL: viaProxy, NUXT_DATABASE_SCHEMA: schema }, { ready: 'answering' })
    })
    afterAll(async () => {
      await server?.stop()
      await proxy?.cut().catch(() => undefined)
      await dropSchema(schema)
    })

    it('answers 503 at once while the database is away, then recovers by itself once it is back', async () => {
      const down = await health(server.url)
      expect(down.status).toBe(503)
      expect(down.ms).toBeLessThan(1000)
      expect(down.body).toMatchObject({ storage: { kind: 'postgres', reachable: false }, bus: { kind: 'memory', reachable: true } })
      const refused = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: uniqueName('early') }),
      })
      expect(refused.status).toBe(503)
      expect(logLines(server)).toContainEqual(expect.objectContaining({ level: 'error', event: 'storage-unavailable' }))

      await proxy.restore()
      await vi.waitFor(async () => expect((await health(server.url)).status).toBe(200), { timeout: 15_000, interval: 200 })
      const { cookie } = await signIn(server.url, uniqueName('late'))
      const client = await ChatClient.connect(server.url, cookie)
      expect(await client.join('general')).toBeGreaterThanOrEqual(0)
      client.send({ type: 'chat', room: 'general', text: 'after the database came back', clientId: 'late-1' })
      expect(await client.nextOfType('chat', event => event.clientId === 'late-1', 5000)).toMatchObject({ text: 'after the database came back' })
    }, 30_000)
  })
}
else {
  // Not a skip: without the services this says why nothing ran; in CI (CI set) it fails.
  it(`the backend health tests need Redis and PostgreSQL (${services.reason})`, () => {
    expect(process.env.CI, 'CI must provide Redis and PostgreSQL').toBeUndefined()
  })
}
