import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

const TOKEN = 'e2e-metrics-token-0123456789'

interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

/** Parses the Prometheus text format: `name{label="value",…} number` lines, comments skipped. */
function parseMetrics(text: string): Sample[] {
  return text.split('\n').filter(line => line && !line.startsWith('#')).map((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`)
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key!, value!]))
    return { name: match[1]!, labels, value: Number(match[3]) }
  })
}

function sample(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find(entry => entry.name === name && Object.entries(labels).every(([key, value]) => entry.labels[key] === value))?.value
}

describe('GET /metrics', () => {
  let server: RunningServer

  beforeAll(async () => {
    // A burst of 2 messages: the third in a row is refused, which the metrics count.
    server = await startServer({ NUXT_METRICS_TOKEN: TOKEN, NUXT_INSTANCE_ID: 'e2e-metrics', NUXT_LIMITS_MESSAGE_BURST: '2', NUXT_LIMITS_MESSAGES_PER_SECOND: '1' })
  })
  afterAll(() => server?.stop())

  const scrape = async () => {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    return parseMetrics(await response.text())
  }

  it('is off (404) unless NUXT_METRICS_TOKEN is set', async () => {
    expect((await fetch(`${inject('baseURL')}/metrics`)).status).toBe(404)
  })

  it('needs the bearer token', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401)
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401)
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: TOKEN } })).status).toBe(401)
  })

  it('counts sockets, joins, messages stored and delivered, refusals and closes, per instance', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const room = await createRoom(server.url, alice.cookie)
    const sender = await ChatClient.connect(server.url, alice.cookie)
    const listener = await ChatClient.connect(server.url, bob.cookie)
    await sender.join(room)
    await listener.join(room)
    for (let index = 0; index < 3; index++) sender.send({ type: 'chat', room, text: `counted ${index}`, clientId: `m-${index}` })
    await listener.nextOfType('chat', event => event.clientId === 'm-1', 5000)
    expect(await sender.nextOfType('error', event => event.ref === 'm-2', 5000)).toMatchObject({ code: 'rate_limited' })

    const during = await scrape()
    expect(sample(during, 'banter_sockets_open')).toBe(2)
    expect(sample(during, 'banter_joins_total')).toBe(2)
    expect(sample(during, 'banter_messages_stored_total')).toBe(2)
    // Each stored message reached both sockets in the room.
    expect(sample(during, 'banter_messages_delivered_total')).toBe(4)
    expect(sample(during, 'banter_rate_limit_refusals_total', { scope: 'socket-frames' })).toBe(1)
    expect(sample(during, 'banter_storage_append_seconds_total')).toBeGreaterThan(0)
    expect(sample(during, 'banter_backend_up', { backend: 'storage' })).toBe(1)
    expect(sample(during, 'banter_backend_up', { backend: 'bus' })).toBe(1)
    expect(sample(during, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0)
    expect(during.every(entry => entry.labels.banter_instance === 'e2e-metrics')).toBe(true)

    listener.socket.close(1000)
    await listener.closed
    await vi.waitFor(async () => {
      const after = await scrape()
      expect(sample(after, 'banter_sockets_open')).toBe(1)
      expect(sample(after, 'banter_socket_closes_total', { code: '1000' })).toBe(1)
    })
  })
})

describe('the server log', () => {
  it('is JSON lines with time, level, instance and event; connections, sign-ins and refusals at info, no secrets or message text', async () => {
    const server = await startServer({ NUXT_INSTANCE_ID: 'e2e-logs' })
    try {
      const name = uniqueName('logged')
      const { cookie } = await signIn(server.url, name)
      const client = await ChatClient.connect(server.url, cookie)
      await client.join('general')
      const secretText = `message text that must not be logged ${uniqueName('t')}`
      client.send({ type: 'chat', room: 'general', text: secretText, clientId: 'log-1' })
      await client.nextOfType('chat', event => event.clientId === 'log-1', 5000)
      await expect(ChatClient.connect(server.url, cookie, { origin: 'https://evil.example' })).rejects.toThrow('upgrade refused: 403')

      const stdout = server.output().split('\n').filter(line => line.trim() !== '')
      // Nitro's own "Listening on" is the one plain line; every line banter writes is one JSON object.
      const banterLines = stdout.filter(line => !line.startsWith('Listening on'))
      const records = banterLines.map(line => JSON.parse(line) as Record<string, unknown>)
      for (const record of records) {
        expect(record).toMatchObject({ level: expect.any(String), time: expect.any(String), instance: 'e2e-logs', event: expect.any(String) })
        expect(Number.isNaN(Date.parse(record.time as string))).toBe(false)
      }
      const events = records.map(record => `${record.level} ${record.event}`)
      expect(events).toEqual(expect.arrayContaining(['info started', 'info sign-in', 'info socket-open', 'info socket-refused']))
      const output = server.output()
      expect(output).not.toContain(secretText)
      expect(output).not.toContain(cookie.split('=')[1]!.split(';')[0]!)
      expect(output).not.toContain('test-only-session-password')
    }
    finally {
      await server.stop()
    }
  })

  it('follows NUXT_LOG_LEVEL', async () => {
    const server = await startServer({ NUXT_LOG_LEVEL: 'warn' })
    try {
      const { cookie } = await signIn(server.url, uniqueName('quiet'))
      const client = await ChatClient.connect(server.url, cookie)
      await client.join('general')
      // A cross-site write is refused with a warning, which this level keeps.
      const crossSite = await fetch(`${server.url}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'origin': 'https://evil.example' },
        body: JSON.stringify({ name: uniqueName('evil') }),
      })
      expect(crossSite.status).toBe(403)
      await vi.waitFor(() => expect(server.output()).toMatch(/"level":"warn".*"event":"cross-site"/))
      expect(server.output()).not.toMatch(/"level":"info"/)

      // Oversized frames from five sockets: five closes with 1009, one warning.
      for (let index = 0; index < 5; index++) {
        const offender = await ChatClient.connect(server.url, cookie)
        offender.send('x'.repeat(64 * 1024 + 1))
        expect((await offender.closed).code).toBe(1009)
      }
      await vi.waitFor(() => expect(server.output()).toMatch(/"event":"socket-error"/))
      expect(server.output().match(/"event":"socket-error"/g)).toHaveLength(1)
    }
    finally {
      await server.stop()
    }
  })
})
