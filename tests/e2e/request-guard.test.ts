import { request } from 'node:http'
import { describe, expect, inject, it } from 'vitest'
import { signIn, uniqueName } from './support/client'
import { expectRefusal } from './support/rest'

const baseURL = inject('baseURL')

/** A request sent by hand, so its headers can lie about its body; resolves with the status once answered. */
function rawRequest(path: string, headers: Record<string, string>, body: Buffer | null, keepSending = false): Promise<{ status: number, body: string }> {
  const url = new URL(path, baseURL)
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (response) => {
      let text = ''
      response.on('data', chunk => (text += chunk))
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body: text })
        outgoing.destroy()
      })
    })
    outgoing.on('error', error => (keepSending ? resolve({ status: -1, body: String(error) }) : reject(error)))
    outgoing.flushHeaders()
    if (body) outgoing.write(body)
    if (!keepSending) outgoing.end()
  })
}

describe('cross-site requests', () => {
  it('refuses a state-changing request from another origin (another site, another port, a Referer only), and changes nothing', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('victim'))
    const port = Number(new URL(baseURL).port)
    const foreign: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: `http://localhost:${port + 1}` },
      { referer: 'https://evil.example/page' },
    ]
    for (const headers of foreign) {
      const name = uniqueName('csrf')
      const response = await fetch(`${baseURL}/api/rooms`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, ...headers },
        body: JSON.stringify({ name }),
      })
      expect(response.status).toBe(403)
      expect((await response.json()).data.code).toBe('cross_site')
      expect(response.headers.getSetCookie()).toEqual([])
      const rooms = await (await fetch(`${baseURL}/api/rooms`, { headers: { cookie } })).json()
      expect(rooms.rooms.map((room: { name: string }) => room.name)).not.toContain(name)
    }
  })

  it('refuses a form post, which another site can send without asking, and leaves the victim\'s cookie alone', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('victim'))
    const response = await fetch(`${baseURL}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: 'name=attacker',
    })
    expect(response.status).toBe(415)
    expect((await response.json()).data.code).toBe('bad_body')
    expect(response.headers.getSetCookie()).toEqual([])
    expect((await fetch(`${baseURL}/api/session`, { headers: { cookie } })).status).toBe(200)
  })

  it('lets the app\'s own origin through', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('local'))
    const response = await fetch(`${baseURL}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: baseURL },
      body: JSON.stringify({ name: uniqueName('own') }),
    })
    expect(response.status).toBe(201)
  })
})

describe('request bodies', () => {
  it('refuses a body declared over 64 KiB with 413 before reading it, even with no session', async () => {
    const answer = await rawRequest('/api/auth/login', { 'content-type': 'application/json', 'content-length': String(100 * 1024 * 1024) }, Buffer.from('{"username":"'), true)
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body).data.code).toBe('body_too_large')
  })

  it('refuses a body without a length (chunked) with 411, and a message body of 10 MB with 413', async () => {
    const chunked = await rawRequest('/api/auth/login', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, null, true)
    expect(chunked.status).toBe(411)
    const { cookie } = await signIn(baseURL, uniqueName('big'))
    const text = 'x'.repeat(10 * 1024 * 1024)
    await expectRefusal(fetch(`${baseURL}/api/rooms/general/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ text, clientId: 'big' }),
    }), 413, 'body_too_large')
  })
})

describe('API answers', () => {
  it('are never cached, and an unknown API path is a JSON 404', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('cache'))
    expect((await fetch(`${baseURL}/api/session`, { headers: { cookie } })).headers.get('cache-control')).toBe('no-store')
    const unknown = await fetch(`${baseURL}/api/no-such-route`)
    expect(unknown.status).toBe(404)
    expect(unknown.headers.get('content-type')).toMatch(/json/)
    expect((await unknown.json()).data.code).toBe('not_found')
  })

  it('set no session cookie for an anonymous visitor: pages, API answers and refusals alike', async () => {
    for (const path of ['/', '/api/health', '/api/session', '/api/no-such-route']) {
      expect((await fetch(`${baseURL}${path}`)).headers.getSetCookie(), path).toEqual([])
    }
  })
})
