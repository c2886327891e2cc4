import { describe, expect, inject, it } from 'vitest'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

async function getJSON(path: string, cookie: string) {
  const response = await fetch(`${baseURL}${path}`, { headers: { cookie } })
  return { status: response.status, body: await response.json() }
}

function postRoom(cookie: string, name: unknown) {
  return fetch(`${baseURL}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name }),
  })
}

describe('rooms', () => {
  it('has general from the first start', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('gina'))
    const { body } = await getJSON('/api/rooms', cookie)
    expect(body.rooms.map((room: { name: string }) => room.name)).toContain('general')
  })

  it('creates a room, lists it and tells every connected client', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('hank'))
    const other = await signIn(baseURL, uniqueName('ivy'))
    const watcher = await ChatClient.connect(baseURL, other.cookie)
    const name = uniqueName('new')
    const response = await postRoom(cookie, name)
    expect(response.status).toBe(201)
    expect(await watcher.nextOfType('room', event => event.room.name === name)).toBeTruthy()
    const { body } = await getJSON('/api/rooms', cookie)
    expect(body.rooms.map((room: { name: string }) => room.name)).toContain(name)
  })

  it('refuses a duplicate with 409 and a bad name with 400', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('jay'))
    const name = await createRoom(baseURL, cookie)
    const duplicate = await postRoom(cookie, name)
    expect(duplicate.status).toBe(409)
    expect((await duplicate.json()).data.code).toBe('room_exists')
    for (const bad of ['', 'Upper', '-dash', 'has space', 'x'.repeat(33), 7]) {
      await expectRefusal(postRoom(cookie, bad), 400, 'invalid_event')
    }
  })

  it('refuses a look-alike of a room with the same 409 as the name itself, and announces nothing', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('lena'))
    const watcher = await ChatClient.connect(baseURL, (await signIn(baseURL, uniqueName('milo'))).cookie)
    const name = await createRoom(baseURL, cookie, 'gold')
    // go1d-…, goid-…, g0ld-…, qold-…: the first g, o or l is in "gold", whatever the random suffix holds.
    const lookAlikes = [name.replace('l', '1'), name.replace('l', 'i'), name.replace('o', '0'), name.replace('g', 'q')]
    for (const lookAlike of lookAlikes) await expectRefusal(postRoom(cookie, lookAlike), 409, 'room_exists')
    const listed = (await getJSON('/api/rooms', cookie)).body.rooms.map((room: { name: string }) => room.name)
    expect(listed).toContain(name)
    expect(listed.filter((room: string) => lookAlikes.includes(room))).toEqual([])
    // Events come in order: once a room created afterwards is announced, a refused one would have been too.
    const later = await createRoom(baseURL, cookie, 'after')
    await watcher.nextOfType('room', event => event.room.name === later)
    expect(watcher.log.filter(event => event.type === 'room' && lookAlikes.includes(event.room.name))).toEqual([])
  })

  it('answers a look-alike of a private room as it answers its exact name, so a non-member learns nothing more', async () => {
    const owner = await signIn(baseURL, uniqueName('nora'))
    const outsider = await signIn(baseURL, uniqueName('otto'))
    const response = await fetch(`${baseURL}/api/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: owner.cookie },
      body: JSON.stringify({ name: uniqueName('ledger'), private: true }),
    })
    expect(response.status).toBe(201)
    const { room } = await response.json()
    const exact = await postRoom(outsider.cookie, room.name)
    const lookAlike = await postRoom(outsider.cookie, room.name.replace('l', '1'))
    expect(lookAlike.status).toBe(exact.status)
    expect((await lookAlike.json()).data.code).toBe((await exact.json()).data.code)
  })
})

describe('history', () => {
  it('pages backwards with before= and catches up with after=, always ascending', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('kim'))
    const room = await createRoom(baseURL, cookie)
    for (let index = 1; index <= 25; index++) {
      await fetch(`${baseURL}/api/rooms/${room}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ text: `m${index}`, clientId: `h${index}` }),
      })
    }
    const seqs = (body: { messages: { seq: number }[] }) => body.messages.map(message => message.seq)
    const newest = await getJSON(`/api/rooms/${room}/messages?limit=10`, cookie)
    expect(seqs(newest.body)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25])
    expect(newest.body.lastSeq).toBe(25)
    const older = await getJSON(`/api/rooms/${room}/messages?before=16&limit=10`, cookie)
    expect(seqs(older.body)).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15])
    const oldest = await getJSON(`/api/rooms/${room}/messages?before=6&limit=10`, cookie)
    expect(seqs(oldest.body)).toEqual([1, 2, 3, 4, 5])
    const catchUp = await getJSON(`/api/rooms/${room}/messages?after=20`, cookie)
    expect(seqs(catchUp.body)).toEqual([21, 22, 23, 24, 25])
    expect(catchUp.body.messages[0].text).toBe('m21')
  })

  it('caps limit at 100, refuses malformed parameters and unknown rooms', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('lee'))
    expect((await getJSON('/api/rooms/general/messages?limit=100', cookie)).status).toBe(200)
    for (const query of ['limit=101', 'limit=0', 'before=abc', 'after=-1', 'before=2&after=1']) {
      await expectRefusal(fetch(`${baseURL}/api/rooms/general/messages?${query}`, { headers: { cookie } }), 400, 'invalid_event')
    }
    const unknown = await getJSON('/api/rooms/no-such-room/messages', cookie)
    expect(unknown.status).toBe(404)
    expect(unknown.body.data.code).toBe('unknown_room')
  })

  it('answers 401 without a session', async () => {
    await expectRefusal(fetch(`${baseURL}/api/rooms/general/messages`), 401, 'unauthorized')
  })
})

describe('health', () => {
  it('reports status, uptime, connected peers and storage', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('mo'))
    // An open socket, for the peer count.
    await ChatClient.connect(baseURL, cookie)
    const response = await fetch(`${baseURL}/api/health`)
    const body = await response.json()
    expect(response.status).toBe(200)
    expect(body).toMatchObject({ status: 'ok', storage: { kind: 'sqlite', reachable: true } })
    expect(body.peers).toBeGreaterThanOrEqual(1)
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0)
  })
})
