import { expect } from 'vitest'
import type { RunningServer } from '../../support/server'
import { uniqueName } from './client'

/** Uploads `bytes` to `room` as the cookie's user, declaring `type`. */
export async function upload(server: RunningServer, cookie: string, room: string, bytes: Uint8Array, type: string, name = 'file.bin') {
  const body = new Blob([new Uint8Array(bytes)])
  const response = await fetch(`${server.url}/api/rooms/${room}/uploads?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { origin: server.url, cookie, 'content-type': type },
    body,
  })
  return { status: response.status, body: await response.json() }
}

/** A new public room, or a private one with `members` (usernames) besides its creator. */
export async function makeRoom(server: RunningServer, cookie: string, members?: string[]): Promise<string> {
  const name = uniqueName('files')
  const response = await fetch(`${server.url}/api/rooms`, {
    method: 'POST',
    headers: { origin: server.url, cookie, 'content-type': 'application/json' },
    body: JSON.stringify(members ? { name, private: true, members } : { name }),
  })
  expect(response.status).toBe(201)
  return name
}
