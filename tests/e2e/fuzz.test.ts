import fc from 'fast-check'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServerEventSchema } from '#shared/protocol'
import { ERROR_CODES } from '#shared/error-codes'
import { MAX_FRAME_BYTES } from '#shared/protocol-limits'
import type { ServerEvent } from '#shared/protocol'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { createRoom, signIn, uniqueName } from './support/client'
import { expectedOutcome } from './support/frame-model'
import { frameSpec, jsonishFrame } from './support/fuzz-arbitraries'
import { RawClient, residentBytes } from './support/raw-client'
import { buildFrame, OPCODE } from './support/raw-frames'
import { expectCloseCode, expectControlClientChats } from './support/raw-session'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

/**
 * Property-based fuzz of the socket with fast-check, bounded to a few hundred runs.
 * It runs its own server: its memory is then the fuzz's alone, and per-connection limits
 * (rate, refused-frame strikes, connections per user) are lifted through their env overrides
 * so the fuzz exercises input handling rather than being cut off by the rate limiter.
 */

const MiB = 1024 * 1024
const ANSWER_TYPES = new Set(['ack', 'joined', 'left', 'error'])
/** Fixed seed: failures reproduce; change it (or drop it) to explore further. */
const SEED = 20_260_601

let server: RunningServer

beforeAll(async () => {
  server = await startServer({
    NUXT_LIMITS_MESSAGES_PER_SECOND: '0',
    NUXT_LIMITS_FRAMES_PER_SECOND: '0',
    NUXT_LIMITS_ABUSE_STRIKES: '1000000',
    NUXT_LIMITS_MAX_CONNECTIONS_PER_USER: '1000',
  })
})

afterAll(() => server?.stop())

/** After a property: the server is up, a control client chats normally, and its memory grew by less than 100 MiB. */
async function expectServerHealthy(rssBefore: number): Promise<void> {
  expect(server.process.exitCode).toBeNull()
  await expectControlClientChats(server.url)
  const growth = await residentBytes(server.process.pid!) - rssBefore
  console.info(`${expect.getState().currentTestName}: server RSS grew by ${(growth / MiB).toFixed(1)} MiB`)
  expect(growth).toBeLessThan(100 * MiB)
}

describe('fuzz', () => {
  it('answers every random JSON-ish frame with one answer event (or closes an oversized one with 1009)', async () => {
    const rssBefore = await residentBytes(server.process.pid!)
    const { cookie, user } = await signIn(server.url, uniqueName('fuzz-json'))
    const joined = await createRoom(server.url, cookie, 'fuzz')
    const otherRooms = ['general', await createRoom(server.url, cookie, 'fuzz')]
    let client = await RawClient.connect(server.url, cookie)
    const ackedClientIds = new Set<string>()

    await fc.assert(fc.asyncProperty(jsonishFrame(joined, otherRooms), async (frame) => {
      if (Buffer.byteLength(frame) > MAX_FRAME_BYTES) {
        client.sendText(frame)
        await expectCloseCode(client, 1009)
        client = await RawClient.connect(server.url, cookie)
        return
      }
      let sent: Record<string, unknown> | undefined
      try {
        const parsed = JSON.parse(frame)
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) sent = parsed
      }
      catch {
        // not JSON: the answer must be bad_json
      }
      client.sendText(frame)
      const answer = await client.nextEvent(event => ANSWER_TYPES.has(event.type))
      expectValidServerEvent(answer)
      expect(client.frames.at(-1)?.opcode).toBe(OPCODE.text)

      switch (answer.type) {
        case 'error':
          expect(ERROR_CODES).toContain(answer.code)
          if (!isJson(frame)) expect(answer.code).toBe('bad_json')
          break
        case 'ack': {
          expect(sent).toMatchObject({ type: 'chat', clientId: answer.clientId })
          if (ackedClientIds.has(answer.clientId)) break
          ackedClientIds.add(answer.clientId)
          // The broadcast comes before the ack; it carries the text as sent and the session's user, whatever the frame said.
          const chat = await client.nextOfType('chat', event => event.clientId === answer.clientId)
          expect(chat).toMatchObject({ text: sent!.text, room: sent!.room, user, seq: answer.seq, id: answer.id })
          // History tells the same story as the live event (a lone surrogate once came back as U+FFFD here).
          const stored = await (await fetch(`${server.url}/api/rooms/${sent!.room}/messages?after=${answer.seq - 1}&limit=1`, { headers: { cookie } })).json()
          expect(stored.messages[0]).toMatchObject({ id: answer.id, text: sent!.text })
          break
        }
        case 'joined':
        case 'left':
          expect(sent).toMatchObject({ type: answer.type === 'joined' ? 'join' : 'leave', room: answer.room })
          break
        default:
          expect.unreachable(`unexpected answer ${answer.type}`)
      }
      for (const event of client.events.splice(0)) expectValidServerEvent(event)
    }), { numRuns: 300, seed: SEED })

    await expectServerHealthy(rssBefore)
  }, 60_000)

  it('answers random raw frames as RFC 6455 says: the right close code, or pongs and answers on a live connection', async () => {
    const rssBefore = await residentBytes(server.process.pid!)
    const { cookie } = await signIn(server.url, uniqueName('fuzz-raw'))
    let probe = 0

    await fc.assert(fc.asyncProperty(fc.array(frameSpec, { minLength: 1, maxLength: 5 }), async (frames) => {
      const expected = expectedOutcome(frames)
      const client = await RawClient.connect(server.url, cookie)
      const frameCount = client.frames.length
      client.write(Buffer.concat(frames.map(frame => buildFrame(frame))))
      const pongsSoFar = () => client.frames.slice(frameCount).filter(frame => frame.opcode === OPCODE.pong).map(frame => frame.payload.toString('hex'))

      if (expected.kind === 'close') {
        await expectCloseCode(client, expected.code)
        expect(pongsSoFar()).toEqual(expected.pongs)
        return
      }
      // Still open: a ping gets its pong (even inside an unfinished fragmented message), and every message its answer.
      const payload = Buffer.from(`probe-${++probe}`)
      client.send({ opcode: OPCODE.ping, payload })
      await client.nextFrame(frame => frame.opcode === OPCODE.pong && frame.payload.equals(payload))
      expect(pongsSoFar()).toEqual([...expected.pongs, payload.toString('hex')])
      for (let i = 0; i < expected.messages; i++) {
        const answer = await client.nextEvent(event => ANSWER_TYPES.has(event.type))
        expectValidServerEvent(answer)
      }
      expect(client.frames.some(frame => frame.opcode === OPCODE.close)).toBe(false)
      await client.close()
    }), { numRuns: 200, seed: SEED })

    await expectServerHealthy(rssBefore)
  }, 60_000)
})

function expectValidServerEvent(event: ServerEvent): void {
  const result = v.safeParse(ServerEventSchema, event)
  expect(result.success, `not a protocol event: ${JSON.stringify(event).slice(0, 300)}`).toBe(true)
}

function isJson(frame: string): boolean {
  try {
    JSON.parse(frame)
    return true
  }
  catch {
    return false
  }
}
