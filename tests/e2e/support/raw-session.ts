import { expect } from 'vitest'
import { ChatClient, createRoom, signIn, uniqueName } from './client'
import { RawClient, withTimeout } from './raw-client'

/** Signs in under a fresh name and opens a raw connection. */
export async function openRaw(baseURL: string, prefix = 'raw'): Promise<{ client: RawClient, cookie: string }> {
  const { cookie } = await signIn(baseURL, uniqueName(prefix))
  return { client: await RawClient.connect(baseURL, cookie), cookie }
}

/** A raw connection that has joined a fresh room, ready to chat. */
export async function openRawInRoom(baseURL: string, prefix = 'raw'): Promise<{ client: RawClient, cookie: string, room: string }> {
  const { client, cookie } = await openRaw(baseURL, prefix)
  const room = await createRoom(baseURL, cookie)
  client.sendEvent({ type: 'join', room })
  await client.nextOfType('joined', event => event.room === room)
  return { client, cookie, room }
}

/** A valid `chat` event serialized to exactly `bytes` bytes (padded with a field the protocol ignores). */
export function chatOfLength(room: string, clientId: string, bytes: number): string {
  const event = { type: 'chat', room, text: 'sized', clientId, pad: '' }
  const missing = bytes - Buffer.byteLength(JSON.stringify(event))
  if (missing < 0) throw new Error(`a chat event needs more than ${bytes} bytes`)
  return JSON.stringify({ ...event, pad: 'p'.repeat(missing) })
}

/** Waits for the server's close frame, checks its code (null: no status), then for the TCP connection to end. */
export async function expectCloseCode(client: RawClient, code: number | null): Promise<void> {
  const close = await client.expectClose()
  expect(close.code, `close reason: ${close.reason}`).toBe(code)
  await withTimeout(client.ended, 5000, 'the server did not end the TCP connection')
}

/** Sends a chat on `client` and waits for its ack: the connection is alive and the app still answers. */
export async function expectChatAcked(client: RawClient, room: string, clientId = uniqueName('alive')): Promise<void> {
  client.sendEvent({ type: 'chat', room, text: 'still here', clientId })
  expect(await client.nextOfType('ack', event => event.clientId === clientId)).toMatchObject({ clientId })
}

/** A well-behaved client (the `ws` library) signs in, joins a room and gets its chat acked; health answers. */
export async function expectControlClientChats(baseURL: string): Promise<void> {
  const health = await fetch(`${baseURL}/api/health`)
  expect(health.status).toBe(200)
  const { cookie } = await signIn(baseURL, uniqueName('control'))
  const control = await ChatClient.connect(baseURL, cookie)
  const room = await createRoom(baseURL, cookie, 'control')
  await control.join(room)
  const clientId = uniqueName('control-msg')
  control.send({ type: 'chat', room, text: 'business as usual', clientId })
  expect(await control.nextOfType('ack', event => event.clientId === clientId)).toMatchObject({ clientId, seq: 1 })
}
