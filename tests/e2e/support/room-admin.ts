import type { ChatClient } from './client'
import { uniqueName } from './client'

/** A JSON request as a signed-in user (or nobody). */
export function api(baseURL: string, cookie: string | null, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${baseURL}${path}`, {
    method,
    headers: { ...(cookie && { cookie }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/** Creates a private room with these members (usernames) as `cookie`'s user; answers its name. */
export async function createPrivateRoom(baseURL: string, cookie: string, members: string[]): Promise<string> {
  const name = uniqueName('private')
  const response = await api(baseURL, cookie, 'POST', '/api/rooms', { name, private: true, members })
  if (response.status !== 201) throw new Error(`creating ${name} failed: ${response.status} ${await response.text()}`)
  return name
}

/**
 * Proves a socket got nothing of `room` after some point without waiting for a time: a round trip on the same
 * socket (a join of another room, answered `joined`) comes after anything the server queued for it before.
 * Answers the room's chat texts the socket received in all.
 */
export async function roomTextsAfterRoundTrip(client: ChatClient, room: string, otherRoom: string): Promise<string[]> {
  await client.join(otherRoom)
  return client.log.flatMap(event => event.type === 'chat' && event.room === room ? [event.text] : [])
}
