import { readFileSync, writeFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Attachment } from '#shared/protocol'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'

closeSocketsAfterEach()

const MAX_ATTACHMENTS = 3
const png = () => sharp({ create: { width: 320, height: 200, channels: 3, background: '#cc3366' } }).png().toBuffer()

async function call(server: RunningServer, method: string, path: string, cookie: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { origin: server.url, cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() }
}

async function upload(server: RunningServer, cookie: string, room: string, bytes: Uint8Array, type: string, name: string): Promise<Attachment> {
  const response = await fetch(`${server.url}/api/rooms/${room}/uploads?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { origin: server.url, cookie, 'content-type': type },
    body: new Blob([new Uint8Array(bytes)]),
  })
  expect(response.status).toBe(201)
  return (await response.json()).attachment
}

const text = (value: string) => new TextEncoder().encode(value)

async function makeRoom(server: RunningServer, cookie: string, members?: string[]): Promise<string> {
  const name = uniqueName('attach')
  const made = await call(server, 'POST', '/api/rooms', cookie, members ? { name, private: true, members } : { name })
  expect(made.status).toBe(201)
  return name
}

/**
 * Attachments: a message names its sender's own uploads to its room; everyone in the room sees them live, in
 * history and on replay; anyone else's upload, or one of another room, is refused; deleting the message deletes
 * its files, and an upload never attached is swept.
 */
describe('messages with attachments', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_MAX_ATTACHMENTS_PER_MESSAGE: String(MAX_ATTACHMENTS) })
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('shows another member the attachments of a text-less message live, in history and on replay', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const room = await makeRoom(server, alice.cookie)
    const image = await upload(server, alice.cookie, room, await png(), 'image/png', 'pink.png')
    const notes = await upload(server, alice.cookie, room, text('the plan'), 'text/plain', 'plan.txt')
    const watcher = await ChatClient.connect(server.url, bob.cookie)
    await watcher.join(room)
    const sender = await ChatClient.connect(server.url, alice.cookie)
    await sender.join(room)

    sender.send({ type: 'chat', room, text: '', clientId: 'with-files', attachments: [image.id, notes.id] })
    const ack = await sender.nextOfType('ack', event => event.clientId === 'with-files')
    const live = await watcher.nextOfType('chat', event => event.id === ack.id)
    expect(live.text).toBe('')
    expect(live.attachments).toStrictEqual([image, notes])
    expect(live.attachments![0]).toMatchObject({ width: 320, height: 200, thumbnailUrl: `/api/files/${image.id}/thumbnail` })

    const history = await call(server, 'GET', `/api/rooms/${room}/messages`, bob.cookie)
    expect(history.body.messages.at(-1).attachments).toStrictEqual([image, notes])
    const late = await ChatClient.connect(server.url, bob.cookie)
    late.send({ type: 'join', room, after: live.seq - 1 })
    expect((await late.nextOfType('chat', event => event.id === ack.id)).attachments).toStrictEqual([image, notes])
    expect((await fetch(`${server.url}${image.thumbnailUrl}`, { headers: { cookie: bob.cookie } })).status).toBe(200)
  })

  it('takes attachments over REST too, and refuses blank text without any', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const room = await makeRoom(server, alice.cookie)
    const notes = await upload(server, alice.cookie, room, text('notes'), 'text/plain', 'notes.txt')
    const blank = await call(server, 'POST', `/api/rooms/${room}/messages`, alice.cookie, { text: ' ', clientId: uniqueName('c') })
    expect(blank.status).toBe(400)
    expect(blank.body.data.code).toBe('empty_text')
    const clientId = uniqueName('c')
    const posted = await call(server, 'POST', `/api/rooms/${room}/messages`, alice.cookie, { text: 'see', clientId, attachments: [notes.id] })
    expect(posted.status).toBe(201)
    // A retry of the same clientId is the same message, not a refusal for an upload already attached.
    const retried = await call(server, 'POST', `/api/rooms/${room}/messages`, alice.cookie, { text: 'see', clientId, attachments: [notes.id] })
    expect(retried.status).toBe(200)
    expect(retried.body.id).toBe(posted.body.id)
    const again = await call(server, 'POST', `/api/rooms/${room}/messages`, alice.cookie, { text: 'twice', clientId: uniqueName('c'), attachments: [notes.id] })
    expect(again.status).toBe(409)
    expect(again.body.data.code).toBe('attachment_in_use')
  })

  it('refuses someone else\'s upload, an upload of another room and an unknown id alike, over socket and REST', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const mallory = await signIn(server.url, uniqueName('mallory'))
    const room = await makeRoom(server, alice.cookie)
    const elsewhere = await makeRoom(server, mallory.cookie)
    const alices = await upload(server, alice.cookie, room, text('mine'), 'text/plain', 'mine.txt')
    const fromElsewhere = await upload(server, mallory.cookie, elsewhere, text('there'), 'text/plain', 'there.txt')

    const socket = await ChatClient.connect(server.url, mallory.cookie)
    await socket.join(room)
    for (const [index, id] of [alices.id, fromElsewhere.id, 'no-such-upload'].entries()) {
      socket.send({ type: 'chat', room, text: 'take', clientId: `steal-${index}`, attachments: [id] })
      const refused = await socket.nextOfType('error', event => event.ref === `steal-${index}`)
      expect(refused.code).toBe('attachment_not_found')
      const rest = await call(server, 'POST', `/api/rooms/${room}/messages`, mallory.cookie, { text: 'take', clientId: uniqueName('c'), attachments: [id] })
      expect(rest.status).toBe(404)
      expect(rest.body.data.code).toBe('attachment_not_found')
    }
    expect((await call(server, 'GET', `/api/rooms/${room}/messages`, alice.cookie)).body.messages).toHaveLength(0)
    // Alice's upload is still hers to attach.
    const own = await call(server, 'POST', `/api/rooms/${room}/messages`, alice.cookie, { text: 'mine', clientId: uniqueName('c'), attachments: [alices.id] })
    expect(own.status).toBe(201)
  })

  it('refuses more attachments than the server allows, and an id named twice', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const room = await makeRoom(server, alice.cookie)
    const ids: string[] = []
    for (let index = 0; index <= MAX_ATTACHMENTS; index++) ids.push((await upload(server, alice.cookie, room, text(`f${index}`), 'text/plain', `f${index}.txt`)).id)
    const tooMany = await call(server, 'POST', `/api/rooms/${room}/messages`, alice.cookie, { text: 'all', clientId: uniqueName('c'), attachments: ids })
    expect(tooMany.status).toBe(400)
    expect(tooMany.body.data.code).toBe('too_many_attachments')
    const twice = await call(server, 'POST', `/api/rooms/${room}/messages`, alice.cookie, { text: 'dup', clientId: uniqueName('c'), attachments: [ids[0], ids[0]] })
    expect(twice.status).toBe(400)
    const fine = await call(server, 'POST', `/api/rooms/${room}/messages`, alice.cookie, { text: 'some', clientId: uniqueName('c'), attachments: ids.slice(0, MAX_ATTACHMENTS) })
    expect(fine.status).toBe(201)
  })

  it('deletes a message\'s files with it: bytes and thumbnail answer 404, the update carries none', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const room = await makeRoom(server, alice.cookie)
    const image = await upload(server, alice.cookie, room, await png(), 'image/png', 'gone.png')
    const posted = await call(server, 'POST', `/api/rooms/${room}/messages`, alice.cookie, { text: 'brief', clientId: uniqueName('c'), attachments: [image.id] })
    expect((await fetch(`${server.url}${image.url}`, { headers: { cookie: bob.cookie } })).status).toBe(200)
    const watcher = await ChatClient.connect(server.url, bob.cookie)
    await watcher.join(room)

    expect((await call(server, 'DELETE', `/api/rooms/${room}/messages/${posted.body.id}`, alice.cookie)).status).toBe(200)
    const update = await watcher.nextOfType('update', event => event.message.id === posted.body.id)
    expect(update.message.deletedAt).toBeTypeOf('number')
    expect(update.message).not.toHaveProperty('attachments')
    expect((await fetch(`${server.url}${image.url}`, { headers: { cookie: bob.cookie } })).status).toBe(404)
    expect((await fetch(`${server.url}${image.thumbnailUrl}`, { headers: { cookie: alice.cookie } })).status).toBe(404)
    expect((await call(server, 'GET', `/api/rooms/${room}/messages`, bob.cookie)).body.messages[0]).not.toHaveProperty('attachments')
  })
})

describe('the sweep of uploads never attached', () => {
  const servers: RunningServer[] = []
  afterEach(async () => {
    for (const running of servers.splice(0).reverse()) await running.stop()
  })

  /** Resolves once the server has printed `text` (the sweep runs on its own after start-up). */
  async function printed(running: RunningServer, expected: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (!running.output().includes(expected)) {
      if (Date.now() > deadline) throw new Error(`the server did not print "${expected}" within ${timeoutMs} ms:\n${running.output()}`)
      await new Promise(resolve => setTimeout(resolve, 50))
    }
  }

  it('removes an unattached upload older than NUXT_LIMITS_UNATTACHED_UPLOAD_MINUTES at start, and keeps attached ones', async () => {
    const first = await startServer()
    servers.push(first)
    const alice = await signIn(first.url, uniqueName('alice'))
    const room = await makeRoom(first, alice.cookie)
    const stray = await upload(first, alice.cookie, room, text('forgotten'), 'text/plain', 'stray.txt')
    const kept = await upload(first, alice.cookie, room, text('sent'), 'text/plain', 'kept.txt')
    const fresh = await upload(first, alice.cookie, room, text('just now'), 'text/plain', 'fresh.txt')
    expect((await call(first, 'POST', `/api/rooms/${room}/messages`, alice.cookie, { text: 'here', clientId: uniqueName('c'), attachments: [kept.id] })).status).toBe(201)
    expect(await first.terminate()).toBe(0)
    // Back-date two records by two hours, as if uploaded then (the fs driver keeps `meta:<id>` as meta/<id>).
    for (const id of [stray.id, kept.id]) {
      const path = join(dirname(first.databasePath), 'files', 'meta', id)
      const record = JSON.parse(readFileSync(path, 'utf8'))
      writeFileSync(path, JSON.stringify({ ...record, createdAt: record.createdAt - 2 * 60 * 60 * 1000 }))
    }

    const second = await startServer({ NUXT_LIMITS_UNATTACHED_UPLOAD_MINUTES: '60' }, { databasePath: first.databasePath })
    servers.push(second)
    await printed(second, 'removed 1 unattached uploads older than 60 minutes')
    expect((await fetch(`${second.url}${stray.url}`, { headers: { cookie: alice.cookie } })).status).toBe(404)
    expect((await fetch(`${second.url}${kept.url}`, { headers: { cookie: alice.cookie } })).status).toBe(200)
    expect((await fetch(`${second.url}${fresh.url}`, { headers: { cookie: alice.cookie } })).status).toBe(200)
  }, 60_000)
})
