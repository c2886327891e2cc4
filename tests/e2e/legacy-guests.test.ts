import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { sealSession } from 'h3'
import type { H3Event } from 'h3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SQLITE_MIGRATIONS } from '#server/utils/storage/sqlite-migrations'
import { startServer, TEST_SESSION_PASSWORD } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, cookieOf } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'

closeSocketsAfterEach()

const SESSION_MAX_AGE_S = 60 * 60 * 24 * 7

/** A session cookie as banter sealed it before accounts: the guest itself, no server-side session. */
async function legacyCookie(user: { id: string, name: string }, loggedInAt: number): Promise<string> {
  const session = { id: 'legacy-h3-id', createdAt: loggedInAt, data: { user, loggedInAt } }
  const event = { context: { sessions: { 'nuxt-session': session } } } as unknown as H3Event
  const sealed = await sealSession(event, { password: TEST_SESSION_PASSWORD, name: 'nuxt-session', maxAge: SESSION_MAX_AGE_S })
  return `nuxt-session=${sealed}`
}

/** An installation upgraded from the release before accounts: its guests and their cookies keep working. */
describe('a database and cookies from before accounts', () => {
  let server: RunningServer

  beforeAll(async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'banter-legacy-')), 'banter.sqlite')
    const old = new Database(path)
    const beforeAccounts = 5
    SQLITE_MIGRATIONS.slice(0, beforeAccounts).forEach(migration => old.exec(migration))
    old.pragma(`user_version = ${beforeAccounts}`)
    old.exec(`INSERT INTO rooms (name, created_at, last_seq) VALUES ('general', 1, 1);
      INSERT INTO name_claims (name_key, name, user_id, last_seen) VALUES ('old guest', 'Old Guest', 'legacy-1', ${Date.now()});
      INSERT INTO messages (id, room, seq, user_id, user_name, text, ts, client_id) VALUES ('m1', 'general', 1, 'legacy-1', 'Old Guest', 'from before', 5, 'c1');
      INSERT INTO read_markers (user_id, room, seq) VALUES ('legacy-1', 'general', 1)`)
    old.close()
    server = await startServer({}, { databasePath: path })
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('exchanges a guest\'s old cookie for a server-side session once, keeping their id and their history', async () => {
    const legacy = await legacyCookie({ id: 'legacy-1', name: 'Old Guest' }, Date.now() - 60_000)
    const first = await fetch(`${server.url}/api/session`, { headers: { cookie: legacy } })
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ user: { id: 'legacy-1', name: 'Old Guest', username: 'old-guest', guest: true }, role: 'guest' })
    const cookie = cookieOf(first)
    expect(cookie).toMatch(/^nuxt-session=/)
    // A copy of the old cookie gets nothing: the exchange happens once per account.
    await expectRefusal(fetch(`${server.url}/api/session`, { headers: { cookie: legacy } }), 401, 'unauthorized')
    const socket = await ChatClient.connect(server.url, cookie)
    expect(await socket.join('general')).toBe(1)
    const history = await (await fetch(`${server.url}/api/rooms/general/messages`, { headers: { cookie } })).json()
    expect(history.messages).toMatchObject([{ text: 'from before', user: { id: 'legacy-1', username: 'old-guest', guest: true } }])
  })

  it('refuses an old cookie whose guest does not exist', async () => {
    await expectRefusal(fetch(`${server.url}/api/session`, {
      headers: { cookie: await legacyCookie({ id: 'nobody', name: 'Nobody' }, Date.now()) },
    }), 401, 'unauthorized')
  })
})
