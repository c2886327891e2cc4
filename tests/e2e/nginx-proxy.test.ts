import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { DEPLOY_NGINX_CONF, documentedConfig, NGINX, replaceOnce, startNginx } from '../support/nginx'
import type { RunningNginx } from '../support/nginx'
import { ChatClient, cookieOf, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { DATABASE_URL, dropSchema, REDIS_URL, scaleOutServices } from './support/services'

closeSocketsAfterEach()

const services = await scaleOutServices()
const missing = [
  ...existsSync(NGINX) ? [] : [`nginx at ${NGINX} (apt-get install -y nginx)`],
  ...services.available ? [] : [services.reason],
]

/** The README's nginx block: the first fenced nginx block after the README first names deploy/nginx.conf. */
function readmeNginxBlock(): string {
  const readme = readFileSync('README.md', 'utf8')
  const match = readme.match(/deploy\/nginx\.conf[\s\S]*?```nginx\n([\s\S]*?)```/)
  if (!match) throw new Error('README.md has no ```nginx block after naming deploy/nginx.conf')
  return match[1]!
}

/** Status of a WebSocket handshake through `url` with this Origin and cookie. */
function handshakeStatus(url: string, origin: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/_ws`, { headers: { origin, cookie } })
    socket.once('upgrade', () => {
      socket.close()
      resolve(101)
    })
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      socket.terminate()
    })
    socket.once('error', reject)
  })
}

/** Signs in as a guest through `url` the way a browser on that page would: with its Origin. */
async function signInAs(url: string, name: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'origin': url, ...headers },
    body: JSON.stringify({ name }),
  })
  expect(response.status).toBe(200)
  return cookieOf(response)
}

it('the README shows deploy/nginx.conf verbatim', () => {
  expect(readmeNginxBlock()).toBe(readFileSync(DEPLOY_NGINX_CONF, 'utf8'))
})

it('the compose file\'s nginx proxies exactly as deploy/nginx.conf does', () => {
  const location = (file: string) => readFileSync(file, 'utf8').match(/\n {2}location \/ \{\n[\s\S]*?\n {2}\}\n/)?.[0]
  expect(location(DEPLOY_NGINX_CONF)).toContain('proxy_set_header Host $http_host;')
  expect(location('deploy/compose-nginx.conf')).toBe(location(DEPLOY_NGINX_CONF))
})

/**
 * The documented proxy set-up, run by Debian's nginx on a port other than 443 in front of two instances on
 * Redis and PostgreSQL: the README's block, not a copy, so the document cannot drift from what was tried.
 */
if (missing.length === 0) {
  describe('nginx in front of two instances, with the documented block', () => {
    const run = randomBytes(4).toString('hex')
    const schema = `banter_e2e_nginx_${run}`
    const env = {
      NUXT_REDIS_URL: REDIS_URL,
      NUXT_REDIS_PREFIX: `banter-test-${run}`,
      NUXT_DATABASE_URL: DATABASE_URL,
      NUXT_DATABASE_SCHEMA: schema,
      NUXT_TRUST_PROXY: 'true',
    }
    let a: RunningServer
    let b: RunningServer
    let proxy: RunningNginx
    /** The block as the README had it before (Host $host): the port is dropped. */
    let oldProxy: RunningNginx

    beforeAll(async () => {
      a = await startServer(env)
      b = await startServer(env)
      const upstreams = [a, b].map(server => `127.0.0.1:${server.port}`)
      proxy = await startNginx(port => documentedConfig(upstreams, port))
      oldProxy = await startNginx(port => replaceOnce(documentedConfig(upstreams, port), 'Host $http_host;', 'Host $host;'))
    }, 60_000)
    afterAll(async () => {
      await Promise.all([proxy?.stop(), oldProxy?.stop()])
      await Promise.all([a?.stop(), b?.stop()])
      await dropSchema(schema)
    })

    it('carries REST and WebSockets on both instances: a message reaches everyone', async () => {
      expect(proxy.port).not.toBe(443)
      const cookies = []
      for (let index = 0; index < 4; index++) cookies.push(await signInAs(proxy.url, uniqueName(`via-nginx${index}`)))
      // Four handshakes in a row: nginx takes turns between the two instances, so each serves two.
      const clients: ChatClient[] = []
      for (const cookie of cookies) {
        const client = await ChatClient.connect(proxy.url, cookie, { origin: proxy.url })
        await client.join('general')
        clients.push(client)
      }
      const peers = await Promise.all([a, b].map(async server => (await (await fetch(`${server.url}/api/health`)).json()).peers))
      expect(peers.every(count => count > 0), `peers per instance: ${peers}`).toBe(true)
      expect(peers[0] + peers[1]).toBe(4)

      const clientId = `nginx-${run}`
      clients[0]!.send({ type: 'chat', room: 'general', text: 'through nginx', clientId })
      await clients[0]!.nextOfType('ack', event => event.clientId === clientId)
      for (const client of clients.slice(1)) {
        expect((await client.nextOfType('chat', event => event.clientId === clientId)).text).toBe('through nginx')
      }
      const history = await (await fetch(`${proxy.url}/api/rooms/general/messages`, { headers: { cookie: await signInAs(proxy.url, uniqueName('reader')) } })).json()
      expect(history.messages.map((message: { clientId: string }) => message.clientId)).toContain(clientId)
    })

    it('passes the real client address, not one the client forged in X-Forwarded-For', async () => {
      const cookie = await signInAs(proxy.url, uniqueName('forger'), { 'x-forwarded-for': '203.0.113.9' })
      const { sessions } = await (await fetch(`${proxy.url}/api/account/sessions`, { headers: { cookie } })).json()
      expect(sessions.map((session: { ip: string }) => session.ip)).toEqual(['127.0.0.1'])
    })

    it('with Host $host (the old block) every WebSocket is refused 403, and the log says which Host and Origin it compared', async () => {
      const cookie = await signInAs(a.url, uniqueName('old-block'))
      expect(await handshakeStatus(oldProxy.url, oldProxy.url, cookie)).toBe(403)
      expect(await handshakeStatus(proxy.url, proxy.url, cookie)).toBe(101)
      const line = `Origin ${oldProxy.url} does not match Host localhost (request over http)`
      expect(a.output() + b.output()).toContain(line)
    })
  })
}
else {
  // Not a skip: on a laptop without them this says why nothing ran; in CI (CI set) it fails.
  it(`the nginx tests need nginx, Redis and PostgreSQL (missing: ${missing.join('; ')})`, () => {
    console.warn(`[nginx-proxy] not run: ${missing.join('; ')}`)
    expect(process.env.CI, 'CI must provide nginx, Redis and PostgreSQL').toBeUndefined()
  })
}
