import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { signIn, uniqueName } from './support/client'
import { expectRefusal } from './support/rest'

/** The name the server gives the conversation of two user ids (server/api/dms.post.ts), first attempt. */
const firstDmName = (a: string, b: string) => `dm-${createHash('sha256').update([a, b].sort().join('\n')).digest('hex').slice(0, 29)}`

const json = (cookie: string, body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', cookie },
  body: JSON.stringify(body),
})

/** A direct message lives where nobody else can create, guess or pre-empt it, and is exactly between the two. */
describe('direct messages cannot be hijacked', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer()
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('refuses to create a room under a direct message\'s name', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const mallory = await signIn(server.url, uniqueName('mallory'))
    const name = firstDmName(alice.user.id, bob.user.id)
    const response = await fetch(`${server.url}/api/rooms`, json(mallory.cookie, { name }))
    expect(response.status).toBe(400)
    expect((await response.json()).data.message).toMatch(/direct messages/)
  })

  it('skips a room that took a conversation\'s name before such names were reserved, and gives the two a room of their own', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const mallory = await signIn(server.url, uniqueName('mallory'))
    const hijacked = firstDmName(alice.user.id, bob.user.id)
    // As a release before the fix allowed: a public room under the pair's name, made by someone else.
    const db = new Database(server.databasePath)
    db.prepare('INSERT INTO rooms (name, created_at, created_by) VALUES (?, ?, ?)').run(hijacked, Date.now(), mallory.user.id)
    db.close()
    const opened = await fetch(`${server.url}/api/dms`, json(alice.cookie, { username: bob.user.username }))
    expect(opened.status).toBe(201)
    const { room } = await opened.json()
    expect(room.name).not.toBe(hijacked)
    expect(room.kind).toBe('dm')
    expect(room.members.map((member: { id: string }) => member.id).sort()).toEqual([alice.user.id, bob.user.id].sort())
    // Bob opening it finds the same room; Mallory cannot read it.
    const fromBob = await (await fetch(`${server.url}/api/dms`, json(bob.cookie, { username: alice.user.username }))).json()
    expect(fromBob.room.name).toBe(room.name)
    await expectRefusal(fetch(`${server.url}/api/rooms/${room.name}/messages`, { headers: { cookie: mallory.cookie } }), 404, 'unknown_room')
  })
})
