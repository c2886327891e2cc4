import { describe, expect, inject, it } from 'vitest'
import { ChatClient, cookieOf, createRoom, logIn, register, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

const baseURL = inject('baseURL')

const postJson = (path: string, body: unknown, cookie = '', method = 'POST') => fetch(`${baseURL}${path}`, {
  method,
  headers: { 'content-type': 'application/json', ...(cookie && { cookie }) },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})
const me = (cookie: string) => fetch(`${baseURL}/api/session`, { headers: { cookie } })

describe('guests', () => {
  it('sign in with a name, are marked as guests, and a sign-out ends the session for every copy of the cookie', async () => {
    const name = uniqueName('Carol')
    const { cookie, user } = await signIn(baseURL, `  ${name}  `)
    expect(user).toEqual({ id: expect.any(String), name, username: name.toLowerCase(), guest: true })
    expect(await (await me(cookie)).json()).toEqual({ user, role: 'guest' })
    const copy = cookie
    expect((await fetch(`${baseURL}/api/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(204)
    await expectRefusal(me(copy), 401, 'unauthorized')
    await expect(ChatClient.connect(baseURL, copy)).rejects.toThrow(/401/)
  })

  it('answers 401 when signed out', async () => {
    await expectRefusal(fetch(`${baseURL}/api/session`), 401, 'unauthorized')
    await expectRefusal(fetch(`${baseURL}/api/rooms`), 401, 'unauthorized')
  })

  it.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['too long', 'x'.repeat(33)],
    ['a control character', 'bad\u0007name'],
    ['only a Hangul filler', '\u3164'],
    ['only zero-width spaces', '\u200B\u200B'],
  ])('refuses a name that is %s with a 400 and a clear message', async (_label, name) => {
    const response = await postJson('/api/session', { name })
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body.data.code).toBe('invalid_name')
    expect(body.data.message).toMatch(/name|character/i)
  })

  it('refuses a name that is not a string, and a body that is not JSON', async () => {
    await expectRefusal(postJson('/api/session', { name: 42 }), 400, 'invalid_event')
    await expectRefusal(postJson('/api/session', '{not json'), 400, 'bad_json')
  })

  it('keep their name for good: nobody takes it after they sign out, in any case', async () => {
    const name = uniqueName('dave')
    const { cookie } = await signIn(baseURL, name)
    await fetch(`${baseURL}/api/session`, { method: 'DELETE', headers: { cookie } })
    await expectRefusal(postJson('/api/session', { name: name.toUpperCase() }), 409, 'name_taken')
  })
})

describe('names people can trust', () => {
  it('refuse the look-alikes of a taken name: a Cyrillic а, a zero-width space, a right-to-left override', async () => {
    const suffix = Math.random().toString(36).slice(2, 7)
    const real = `alice${suffix}`
    await register(baseURL, real)
    // Cyrillic а (U+0430) among Latin letters: one script per username, and the same skeleton anyway.
    await expectRefusal(postJson('/api/session', { name: `\u0430lice${suffix}` }), 400, 'invalid_name')
    await expectRefusal(postJson('/api/auth/register', { username: `\u0430lice${suffix}`, password: 'long enough pass' }), 400, 'invalid_name')
    // A different account's username may not differ only in case.
    await expectRefusal(postJson('/api/auth/register', { username: real.toUpperCase(), password: 'long enough pass' }), 409, 'name_taken')
    // Fullwidth letters fold to the same name.
    await expectRefusal(postJson('/api/auth/register', { username: `ＡＬＩＣＥ${suffix}`, password: 'long enough pass' }), 409, 'name_taken')
    // Invisible and bidi characters are refused outright, with a message.
    await expectRefusal(postJson('/api/auth/register', { username: `al\u200Bice${suffix}`, password: 'long enough pass' }), 400, 'invalid_name')
    await expectRefusal(postJson('/api/auth/register', { username: `\u202E${[...`alice${suffix}`].reverse().join('')}`, password: 'long enough pass' }), 400, 'invalid_name')
    await expectRefusal(postJson('/api/session', { name: `\u202E${[...real].reverse().join('')}` }), 400, 'invalid_name')
  })

  it('let display names repeat while usernames tell the accounts apart', async () => {
    const first = await register(baseURL, uniqueName('sam'), 'long enough pass', { displayName: 'Sam' })
    const second = await register(baseURL, uniqueName('sam'), 'long enough pass', { displayName: 'Sam' })
    expect(first.user.name).toBe(second.user.name)
    expect(first.user.username).not.toBe(second.user.username)
  })
})

describe('password accounts', () => {
  it('sign up, sign in and never answer a password or its hash', async () => {
    const username = uniqueName('erin')
    const created = await postJson('/api/auth/register', { username, displayName: 'Erin E.', password: 'a long passphrase' })
    expect(created.status).toBe(201)
    const body = await created.text()
    expect(body).not.toMatch(/passphrase|scrypt|\$/)
    expect(JSON.parse(body).user).toEqual({ id: expect.any(String), name: 'Erin E.', username })
    const { response, cookie } = await logIn(baseURL, username.toUpperCase(), 'a long passphrase')
    expect(response.status).toBe(200)
    expect((await (await me(cookie)).json()).user.username).toBe(username)
    const account = await (await fetch(`${baseURL}/api/account`, { headers: { cookie } })).text()
    expect(account).not.toMatch(/passphrase|scrypt|hash/i)
  })

  it('refuse a short password, and a password that is the username', async () => {
    await expectRefusal(postJson('/api/auth/register', { username: uniqueName('weak'), password: 'short' }), 400, 'weak_password')
    const username = uniqueName('same')
    await expectRefusal(postJson('/api/auth/register', { username, password: username }), 400, 'weak_password')
  })

  it('answer a wrong password and an unknown username alike', async () => {
    const username = uniqueName('frank')
    await register(baseURL, username, 'the right password')
    const wrong = await logIn(baseURL, username, 'the wrong password')
    const unknown = await logIn(baseURL, uniqueName('nobody'), 'the wrong password')
    expect(wrong.response.status).toBe(401)
    expect(unknown.response.status).toBe(401)
    expect(await wrong.response.json()).toEqual(await unknown.response.json())
    expect(wrong.cookie).toBe('')
  })

  it('slow down guessing: after five failures the account is locked, even for the right password, with Retry-After', async () => {
    const username = uniqueName('grace')
    await register(baseURL, username, 'the right password')
    for (let attempt = 0; attempt < 6; attempt++) expect((await logIn(baseURL, username, `guess ${attempt}`)).response.status).toBe(401)
    const locked = await logIn(baseURL, username, 'the right password')
    expect(locked.response.status).toBe(429)
    expect(Number(locked.response.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await locked.response.json()).data.code).toBe('too_many_attempts')
    // An unknown username locks the same way: the lock tells nothing about who exists.
    const ghost = uniqueName('ghost')
    for (let attempt = 0; attempt < 6; attempt++) await logIn(baseURL, ghost, `guess ${attempt}`)
    expect((await logIn(baseURL, ghost, 'anything')).response.status).toBe(429)
  })
})

describe('sessions', () => {
  it('never inherit a planted cookie: signing in starts a new session, and the planted one ends', async () => {
    const attacker = await signIn(baseURL, uniqueName('mallory'))
    const username = uniqueName('victim')
    await register(baseURL, username, 'victim password')
    // The victim's browser holds the attacker's cookie when the victim signs in.
    const { response, cookie } = await logIn(baseURL, username, 'victim password', attacker.cookie)
    expect(response.status).toBe(200)
    expect(cookie).not.toBe('')
    expect(cookie).not.toBe(attacker.cookie)
    expect((await (await me(cookie)).json()).user.username).toBe(username)
    // The attacker's copy names a session that has ended: it is nobody's now, certainly not the victim's.
    await expectRefusal(me(attacker.cookie), 401, 'unauthorized')
  })

  it('show a rename at once: an old cookie posts under the new name, and whoever takes the old username is someone else', async () => {
    const oldName = uniqueName('henry')
    const henry = await register(baseURL, oldName)
    const room = await createRoom(baseURL, henry.cookie)
    const socket = await ChatClient.connect(baseURL, henry.cookie)
    await socket.join(room)
    const newName = uniqueName('henrietta')
    const renamed = await postJson('/api/account', { username: newName, displayName: 'Henrietta' }, henry.cookie, 'PATCH')
    expect(renamed.status).toBe(200)
    const impostor = await register(baseURL, oldName)
    expect(impostor.user.id).not.toBe(henry.user.id)
    // Both the REST cookie from before the rename and the socket opened before it carry the new names.
    expect((await postJson(`/api/rooms/${room}/messages`, { text: 'over REST', clientId: 'rest-1' }, henry.cookie)).status).toBe(201)
    expect(await socket.nextOfType('chat', event => event.clientId === 'rest-1')).toMatchObject({ user: { id: henry.user.id, name: 'Henrietta', username: newName } })
    socket.send({ type: 'chat', room, text: 'over the socket', clientId: 'ws-1' })
    expect(await socket.nextOfType('chat', event => event.clientId === 'ws-1')).toMatchObject({ user: { id: henry.user.id, username: newName } })
    // History shows the author's current names too.
    const history = await (await fetch(`${baseURL}/api/rooms/${room}/messages`, { headers: { cookie: impostor.cookie } })).json()
    expect(history.messages.every((message: { user: { id: string, username: string } }) => message.user.id === henry.user.id && message.user.username === newName)).toBe(true)
  })

  it('list a user\'s sessions with this device marked, end one, and a password change ends the others and their sockets', async () => {
    const username = uniqueName('iris')
    const first = await register(baseURL, username, 'first password')
    const second = await logIn(baseURL, username, 'first password')
    const third = await logIn(baseURL, username, 'first password')
    const listed = await (await fetch(`${baseURL}/api/account/sessions`, { headers: { cookie: first.cookie, 'user-agent': 'test' } })).json()
    expect(listed.sessions).toHaveLength(3)
    expect(listed.sessions.filter((session: { current: boolean }) => session.current)).toHaveLength(1)
    expect(JSON.stringify(listed)).not.toContain(first.cookie.split('=')[1])
    // Ending another session by its id closes its socket with 1008.
    const thirdSocket = await ChatClient.connect(baseURL, third.cookie)
    const thirdId = (await (await fetch(`${baseURL}/api/account/sessions`, { headers: { cookie: third.cookie } })).json())
      .sessions.find((session: { current: boolean }) => session.current).id
    expect((await fetch(`${baseURL}/api/account/sessions/${thirdId}`, { method: 'DELETE', headers: { cookie: first.cookie } })).status).toBe(204)
    expect((await thirdSocket.closed).code).toBe(1008)
    await expectRefusal(me(third.cookie), 401, 'unauthorized')
    // A password change keeps this session and ends the others.
    const secondSocket = await ChatClient.connect(baseURL, second.cookie)
    await expectRefusal(postJson('/api/account/password', { current: 'not it', password: 'second password' }, first.cookie, 'PUT'), 403, 'invalid_credentials')
    const changed = await postJson('/api/account/password', { current: 'first password', password: 'second password' }, first.cookie, 'PUT')
    expect(await changed.json()).toEqual({ endedSessions: 1 })
    expect((await secondSocket.closed).code).toBe(1008)
    expect((await me(first.cookie)).status).toBe(200)
    await expectRefusal(me(second.cookie), 401, 'unauthorized')
    expect((await logIn(baseURL, username, 'first password')).response.status).toBe(401)
    expect((await logIn(baseURL, username, 'second password')).response.status).toBe(200)
  })

  it('sign out everywhere ends every session of the account', async () => {
    const username = uniqueName('jack')
    const first = await register(baseURL, username)
    const other = await logIn(baseURL, username, 'correct horse battery')
    const socket = await ChatClient.connect(baseURL, other.cookie)
    expect((await fetch(`${baseURL}/api/account/sessions`, { method: 'DELETE', headers: { cookie: first.cookie } })).status).toBe(204)
    expect((await socket.closed).code).toBe(1008)
    await expectRefusal(me(first.cookie), 401, 'unauthorized')
    await expectRefusal(me(other.cookie), 401, 'unauthorized')
  })
})

describe('deleting an account', () => {
  it('keeps its messages, shown as written by "Deleted user", and keeps its username from being taken', async () => {
    const username = uniqueName('kim')
    const kim = await register(baseURL, username, 'kims password')
    const room = await createRoom(baseURL, kim.cookie)
    await postJson(`/api/rooms/${room}/messages`, { text: 'I was here', clientId: 'k1' }, kim.cookie)
    const socket = await ChatClient.connect(baseURL, kim.cookie)
    await expectRefusal(postJson('/api/account', { password: 'wrong' }, kim.cookie, 'DELETE'), 403, 'invalid_credentials')
    const deleted = await postJson('/api/account', { password: 'kims password' }, kim.cookie, 'DELETE')
    expect(deleted.status).toBe(204)
    expect((await socket.closed).code).toBe(1008)
    await expectRefusal(me(kim.cookie), 401, 'unauthorized')
    const reader = await signIn(baseURL, uniqueName('reader'))
    const history = await (await fetch(`${baseURL}/api/rooms/${room}/messages`, { headers: { cookie: reader.cookie } })).json()
    expect(history.messages).toMatchObject([{ text: 'I was here', user: { id: kim.user.id, name: 'Deleted user', deleted: true } }])
    await expectRefusal(postJson('/api/auth/register', { username, password: 'another password' }), 409, 'name_taken')
    expect((await logIn(baseURL, username, 'kims password')).response.status).toBe(401)
  })
})

describe('a session cookie', () => {
  it('is refused when forged or tampered with, over REST and the socket', async () => {
    const { cookie } = await signIn(baseURL, uniqueName('lee'))
    const [name, value] = cookie.split('=') as [string, string]
    const tampered = `${name}=${value.slice(0, -4)}${value.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`
    await expectRefusal(me(tampered), 401, 'unauthorized')
    await expect(ChatClient.connect(baseURL, tampered)).rejects.toThrow(/401/)
    expect(cookieOf(await me(tampered))).toBe('')
  })
})
