import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { signIn, uniqueName } from './support/client'
import { expectRefusal } from './support/rest'

// The ceremonies themselves need an authenticator: tests/browser/passkeys.spec.ts runs them in Chromium.
// Here: who may start one, what the options say, and how challenges and removals are kept.

function post(baseURL: string, path: string, body: unknown, cookie = '') {
  return fetch(`${baseURL}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) })
}

/** A member account with a password, signed in. */
async function member(baseURL: string, prefix: string) {
  const username = uniqueName(prefix)
  const response = await post(baseURL, '/api/auth/register', { username, password: 'correct horse battery staple' })
  expect(response.status).toBe(201)
  const cookie = response.headers.getSetCookie().map(header => header.split(';')[0]).join('; ')
  const { user } = await response.json() as { user: { id: string } }
  return { username, cookie, id: user.id }
}

/** A response the server cannot verify, for a credential id: enough to reach the challenge and credential checks. */
const bogusResponse = (id: string) => ({
  id,
  rawId: id,
  type: 'public-key',
  response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' },
  clientExtensionResults: {},
})

describe('passkeys over REST', () => {
  let server: RunningServer
  let second: RunningServer
  let db: Database.Database
  beforeAll(async () => {
    server = await startServer()
    // A second instance on the same data, as behind a load balancer.
    second = await startServer({}, { databasePath: server.databasePath })
    db = new Database(server.databasePath)
  })
  afterAll(async () => {
    db?.close()
    await second?.terminate()
    await server?.stop()
  })

  it('lets only signed-in members add a passkey, never a guest', async () => {
    await expectRefusal(fetch(`${server.url}/api/account/passkeys`), 401, 'unauthorized')
    await expectRefusal(post(server.url, '/api/auth/webauthn/register', { verify: false, user: { userName: 'x' } }), 401, 'unauthorized')
    const guest = await signIn(server.url, uniqueName('guest'))
    await expectRefusal(post(server.url, '/api/auth/webauthn/register', { verify: false, user: { userName: 'x' } }, guest.cookie), 403, 'forbidden')
  })

  it('asks for a discoverable, user-verified passkey of the signed-in account, whatever name the body gives', async () => {
    const alice = await member(server.url, 'alice')
    const response = await post(server.url, '/api/auth/webauthn/register', { verify: false, user: { userName: 'someone-else' } }, alice.cookie)
    expect(response.status).toBe(200)
    const { creationOptions, attemptId } = await response.json()
    expect(attemptId).toEqual(expect.any(String))
    expect(creationOptions).toMatchObject({
      rp: { id: 'localhost', name: 'banter' },
      user: { name: alice.username },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      excludeCredentials: [],
    })
    expect(Buffer.from(creationOptions.user.id, 'base64url').toString()).toBe(alice.id)
    // The challenge is kept in the database, not in this instance's memory.
    expect(db.prepare('SELECT challenge FROM auth_challenges WHERE key = ?').get(`register:${alice.id}:${attemptId}`))
      .toEqual({ challenge: creationOptions.challenge })
  })

  it('checks a passkey sign-up\'s names before asking the authenticator', async () => {
    const taken = await member(server.url, 'taken')
    await expectRefusal(post(server.url, '/api/auth/webauthn/sign-up', { verify: false, user: { userName: taken.username.toUpperCase() } }), 409, 'name_taken')
    await expectRefusal(post(server.url, '/api/auth/webauthn/sign-up', { verify: false, user: { userName: 'has space' } }), 400, 'invalid_name')
    const fresh = uniqueName('fresh')
    const response = await post(server.url, '/api/auth/webauthn/sign-up', { verify: false, user: { userName: fresh, displayName: 'Fresh' } })
    expect(response.status).toBe(200)
    expect((await response.json()).creationOptions.user).toMatchObject({ name: fresh, displayName: 'Fresh' })
  })

  it('answers a sign-in by username the same way whether the account exists, has passkeys or not', async () => {
    const bob = await member(server.url, 'bob')
    const options = async (userName: string) =>
      (await (await post(server.url, '/api/auth/webauthn/authenticate', { verify: false, userName })).json()).requestOptions
    const known = await options(bob.username)
    const unknown = await options(uniqueName('nobody'))
    expect(known.allowCredentials).toHaveLength(1)
    expect(unknown.allowCredentials).toHaveLength(1)
    expect(known.allowCredentials[0].id).not.toBe(unknown.allowCredentials[0].id)
    // The decoy is stable: asking twice gives the same id, on either instance.
    const secondAsk = await (await post(second.url, '/api/auth/webauthn/authenticate', { verify: false, userName: bob.username })).json()
    expect(secondAsk.requestOptions.allowCredentials).toEqual(known.allowCredentials)
    expect(known.userVerification).toBe('required')
  })

  it('finishes a ceremony on another instance, and accepts each challenge once', async () => {
    const { attemptId } = await (await post(server.url, '/api/auth/webauthn/authenticate', { verify: false })).json()
    const answer = { verify: true, attemptId, response: bogusResponse('bm90LXJlZ2lzdGVyZWQ') }
    // The second instance finds the challenge and gets as far as the credential, which nobody registered.
    await expectRefusal(post(second.url, '/api/auth/webauthn/authenticate', answer), 401, 'invalid_credentials')
    // Used up: the same attempt cannot be tried again.
    await expectRefusal(post(server.url, '/api/auth/webauthn/authenticate', answer), 400, 'invalid_event')
    await expectRefusal(post(server.url, '/api/auth/webauthn/authenticate', { ...answer, attemptId: 'never-issued' }), 400, 'invalid_event')
  })

  it('does not finish a sign-up under another name than the one it began with', async () => {
    const began = uniqueName('began')
    const { attemptId } = await (await post(server.url, '/api/auth/webauthn/sign-up', { verify: false, user: { userName: began } })).json()
    const switched = { verify: true, attemptId, user: { userName: uniqueName('switched') }, response: bogusResponse('AA') }
    await expectRefusal(post(server.url, '/api/auth/webauthn/sign-up', switched), 400, 'invalid_event')
  })

  it('removes one\'s own passkey only, and the last one of an account that also has a password', async () => {
    const carol = await member(server.url, 'carol')
    const dave = await member(server.url, 'dave')
    db.prepare('INSERT INTO passkeys (id, user_id, public_key, counter, backed_up, transports, name, created_at) VALUES (?, ?, ?, 0, 1, ?, ?, ?)')
      .run('Y2Fyb2xzLWtleQ', carol.id, 'AA', '["internal"]', 'Carol\'s laptop', 1000)
    const listed = await (await fetch(`${server.url}/api/account/passkeys`, { headers: { cookie: carol.cookie } })).json()
    expect(listed).toEqual({ passkeys: [{ id: 'Y2Fyb2xzLWtleQ', name: 'Carol\'s laptop', createdAt: 1000, lastUsedAt: null, backedUp: true }] })
    expect(await (await fetch(`${server.url}/api/account/passkeys`, { headers: { cookie: dave.cookie } })).json()).toEqual({ passkeys: [] })

    const remove = (cookie: string, id: string) => fetch(`${server.url}/api/account/passkeys/${id}`, { method: 'DELETE', headers: { cookie } })
    await expectRefusal(remove(dave.cookie, 'Y2Fyb2xzLWtleQ'), 404, 'not_found')
    await expectRefusal(remove(carol.cookie, 'no%20such'), 400, 'invalid_event')
    expect((await remove(carol.cookie, 'Y2Fyb2xzLWtleQ')).status).toBe(204)
    await expectRefusal(remove(carol.cookie, 'Y2Fyb2xzLWtleQ'), 404, 'not_found')
    const audit = db.prepare('SELECT actor_id FROM audit_log WHERE action = ? AND target_id = ?').all('passkey.removed', carol.id)
    expect(audit).toEqual([{ actor_id: carol.id }])
  })

  it('keeps the last passkey of an account that has no other way to sign in', async () => {
    const erin = await member(server.url, 'erin')
    db.prepare('UPDATE users SET password_hash = NULL WHERE id = ?').run(erin.id)
    const insert = db.prepare('INSERT INTO passkeys (id, user_id, public_key, counter, backed_up, transports, name, created_at) VALUES (?, ?, ?, 0, 0, ?, ?, ?)')
    insert.run('ZXJpbi0x', erin.id, 'AA', '[]', 'one', 1)
    insert.run('ZXJpbi0y', erin.id, 'AA', '[]', 'two', 2)
    const remove = (id: string) => fetch(`${server.url}/api/account/passkeys/${id}`, { method: 'DELETE', headers: { cookie: erin.cookie } })
    expect((await remove('ZXJpbi0x')).status).toBe(204)
    await expectRefusal(remove('ZXJpbi0y'), 409, 'last_credential')
    expect(db.prepare('SELECT id FROM passkeys WHERE user_id = ?').all(erin.id)).toEqual([{ id: 'ZXJpbi0y' }])
  })
})
