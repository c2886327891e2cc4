import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkUsername, nameSkeleton } from '#server/utils/accounts/name-rules'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { logIn, register, uniqueName } from './support/client'
import { expectRefusal } from './support/rest'

/**
 * An account named before the rule that usernames hold only UTS #39 Allowed characters (or before new Unicode
 * data narrowed it) keeps signing in with its password; nobody new gets such a name.
 */
describe('a username from before the identifier rule', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'banter-usernames-')), 'banter.sqlite')
  const legacy = `a\u029Fice${Date.now().toString(36)}`
  let server: RunningServer

  beforeAll(async () => {
    const first = await startServer({}, { databasePath: path })
    const made = uniqueName('plain')
    await register(first.url, made, 'a password of its own')
    await first.stop()
    // What an older release stored for it: its name and skeleton as they were checked then.
    const db = new Database(path)
    db.prepare('UPDATE users SET username = ?, username_key = ? WHERE username = ?').run(legacy, nameSkeleton(legacy), made)
    db.close()
    server = await startServer({}, { databasePath: path })
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('signs in with its password, while the same letter is refused to a new account', async () => {
    expect(checkUsername(legacy).ok).toBe(false)
    expect((await logIn(server.url, legacy, 'a password of its own')).response.status).toBe(200)
    const response = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: `b\u029Fob${Date.now().toString(36)}`, password: 'a password of its own' }),
    })
    await expectRefusal(Promise.resolve(response), 400, 'invalid_name')
  })
})
