import { afterAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

describe('graceful shutdown', () => {
  const servers: RunningServer[] = []
  afterAll(async () => {
    for (const server of servers) await server.stop()
  })

  it('closes every peer with 1012 on SIGTERM, exits within 10 s, and a restarted server has every acked message', async () => {
    const first = await startServer()
    servers.push(first)
    const alice = await signIn(first.url, uniqueName('alice'))
    const bob = await signIn(first.url, uniqueName('bob'))
    const room = await createRoom(first.url, alice.cookie)
    const writer = await ChatClient.connect(first.url, alice.cookie)
    const reader = await ChatClient.connect(first.url, bob.cookie)
    await writer.join(room)
    await reader.join(room)
    for (let index = 0; index < 10; index++) writer.send({ type: 'chat', room, text: `before ${index}`, clientId: `k${index}` })
    await writer.nextOfType('ack', event => event.clientId === 'k9')

    const startedAt = Date.now()
    const exitCode = first.terminate()
    expect((await writer.closed).code).toBe(1012)
    expect((await reader.closed).code).toBe(1012)
    expect(await exitCode).toBe(0)
    expect(Date.now() - startedAt).toBeLessThan(10_000)

    // The same data and port, as after a deploy: the cookie still works and the room resumes without loss.
    const second = await startServer({}, { databasePath: first.databasePath, port: first.port })
    servers.push(second)
    const resumed = await ChatClient.connect(second.url, bob.cookie)
    const lastSeen = Math.max(0, ...reader.log.flatMap(event => event.type === 'chat' ? [event.seq] : []))
    resumed.send({ type: 'join', room, after: Math.min(lastSeen, 4) })
    expect(await resumed.nextOfType('joined')).toMatchObject({ lastSeq: 10, recovered: true })
    const seqs = resumed.log.flatMap(event => event.type === 'chat' ? [event.seq] : [])
    expect(seqs).toEqual(Array.from({ length: 10 - Math.min(lastSeen, 4) }, (_, index) => index + 1 + Math.min(lastSeen, 4)))
  }, 30_000)
})

describe('security headers', () => {
  it('sends a CSP that allows the app\'s own scripts and WebSocket, forbids framing, and nosniff on pages and API', async () => {
    const server = await startServer()
    try {
      const page = await fetch(`${server.url}/`)
      const csp = page.headers.get('content-security-policy') ?? ''
      expect(csp).toContain('connect-src \'self\'')
      expect(csp).toContain('frame-ancestors \'none\'')
      expect(csp).toMatch(/script-src 'self'( 'sha256-[A-Za-z0-9+/=]+')*(;|$)/)
      expect(csp.split('; ').find(part => part.startsWith('script-src'))).not.toContain('unsafe')
      for (const response of [page, await fetch(`${server.url}/api/health`)]) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff')
        expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      }
      expect((await fetch(`${server.url}/api/health`)).headers.get('content-security-policy')).toContain('frame-ancestors \'none\'')

      const signIn = await fetch(`${server.url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: uniqueName('cookie') }) })
      const cookie = signIn.headers.getSetCookie().find(header => header.startsWith('nuxt-session=')) ?? ''
      expect(cookie).toMatch(/; HttpOnly/)
      expect(cookie).toMatch(/; Secure/)
      expect(cookie).toMatch(/; SameSite=Lax/)
    }
    finally {
      await server.stop()
    }
  })
})
