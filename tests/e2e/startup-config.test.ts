import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runUntilExit, startServer } from '../support/server'
import { signIn, uniqueName } from './support/client'
import { DATABASE_URL } from './support/services'

/** The one line a refused start prints, or a failure when there is more (a stack trace, a second message). */
function refusalLine(stderr: string): string {
  const lines = stderr.split('\n').filter(line => line.trim() !== '')
  expect(lines, stderr).toHaveLength(1)
  expect(stderr).not.toMatch(/\n\s+at /)
  return lines[0]!
}

describe('start-up refuses a bad or contradictory configuration with exit code 1 and one line', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['a limit that is not a number', { NUXT_LIMITS_MESSAGES_PER_SECOND: 'abc' }, /NUXT_LIMITS_MESSAGES_PER_SECOND="abc" is not allowed: expected a whole number >= 1, or 0 to turn the limit off/],
    ['a heartbeat of 0 (it dropped every socket)', { NUXT_LIMITS_HEARTBEAT_INTERVAL_MS: '0' }, /NUXT_LIMITS_HEARTBEAT_INTERVAL_MS="0" is not allowed: expected a whole number >= 100/],
    ['a connection cap of 0 (it refused everyone)', { NUXT_LIMITS_MAX_CONNECTIONS: '0' }, /NUXT_LIMITS_MAX_CONNECTIONS="0"/],
    ['a session max age that is not a number', { NUXT_SESSION_MAX_AGE: 'abc' }, /NUXT_SESSION_MAX_AGE="abc" is not allowed: expected a whole number of seconds/],
    ['PORT=abc (it ended in a stack trace)', { PORT: 'abc' }, /PORT="abc" is not allowed: expected a port number from 0 to 65535/],
    ['a HOST that is no address', { HOST: 'not a host' }, /HOST="not a host" is not allowed/],
    ['a database URL that is no postgres:// URL', { NUXT_DATABASE_URL: 'localhost:5432/test' }, /NUXT_DATABASE_URL="localhost:5432\/test" is not allowed: expected empty, or a postgres:\/\/ URL/],
    ['a schema name that would need quoting', { NUXT_DATABASE_URL: DATABASE_URL, NUXT_DATABASE_SCHEMA: 'bad-schema' }, /NUXT_DATABASE_SCHEMA="bad-schema"/],
    ['Redis without PostgreSQL (two instances on two SQLite files)', { NUXT_REDIS_URL: 'redis://127.0.0.1:6379' }, /NUXT_REDIS_URL is set but NUXT_DATABASE_URL is not/],
    ['a short session secret, without printing it', { NUXT_SESSION_PASSWORD: 'short-secret' }, /NUXT_SESSION_PASSWORD=\(12 characters\) is not allowed: expected a secret of at least 32 characters/],
    ['a non-Secure cookie without the explicit confirmation', { NUXT_SESSION_COOKIE_SECURE: 'false' }, /NUXT_SESSION_COOKIE_SECURE=false is refused in production unless NUXT_ALLOW_INSECURE_COOKIES=true/],
    ['a retention that is not a number of days (it must not delete anything)', { NUXT_RETENTION_DAYS: '-1' }, /NUXT_RETENTION_DAYS="-1" is not allowed: expected a whole number of days from 0 \(off\) to 36500/],
    ['a per-address socket cap that is not a number', { NUXT_LIMITS_MAX_CONNECTIONS_PER_ADDRESS: 'many' }, /NUXT_LIMITS_MAX_CONNECTIONS_PER_ADDRESS="many" is not allowed: expected a whole number >= 1, or 0 to turn the limit off/],
    ['an unknown log level', { NUXT_LOG_LEVEL: 'loud' }, /NUXT_LOG_LEVEL="loud" is not allowed: expected trace, debug, info, warn, error, fatal, silent/],
  ]

  it.each(cases)('%s', async (_name, env, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'banter-refused-'))
    try {
      const result = await runUntilExit({ NUXT_DATABASE_PATH: join(dir, 'banter.sqlite'), ...env })
      expect(result.code, result.stdout + result.stderr).toBe(1)
      const line = refusalLine(result.stderr)
      expect(line).toMatch(/^banter will not start: /)
      expect(line).toMatch(expected)
      expect(result.stdout).not.toContain('Listening')
      if (env.NUXT_SESSION_PASSWORD) expect(result.stderr).not.toContain(env.NUXT_SESSION_PASSWORD)
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the SQLite file', () => {
  it('stops the start when it cannot be opened (its folder would be inside a file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'banter-badpath-'))
    try {
      writeFileSync(join(dir, 'a-file'), '')
      const path = join(dir, 'a-file', 'banter.sqlite')
      const result = await runUntilExit({ NUXT_DATABASE_PATH: path })
      expect(result.code, result.stdout + result.stderr).toBe(1)
      expect(refusalLine(result.stderr)).toContain(`banter will not start: NUXT_DATABASE_PATH=${JSON.stringify(path)} cannot be opened`)
    }
    finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('goes under the app directory for a relative path, wherever the process starts, and the log says where', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'banter-cwd-'))
    const relative = `.data/e2e-${uniqueName('db')}.sqlite`
    const expected = resolve(relative)
    const server = await startServer({}, { databasePath: relative, cwd: elsewhere })
    try {
      const started = server.output().split('\n').filter(line => line.startsWith('{')).map(line => JSON.parse(line) as Record<string, unknown>)
      expect(started).toContainEqual(expect.objectContaining({ event: 'storage-open', path: expected }))
      expect(existsSync(expected)).toBe(true)
      expect(existsSync(join(elsewhere, relative))).toBe(false)
    }
    finally {
      await server.stop()
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${expected}${suffix}`, { force: true })
      rmSync(elsewhere, { recursive: true, force: true })
    }
  })
})

describe('the session cookie over plain HTTP', () => {
  it('is Secure by default, and not Secure with NUXT_SESSION_COOKIE_SECURE=false confirmed by NUXT_ALLOW_INSECURE_COOKIES=true', async () => {
    const secure = await startServer()
    const lan = await startServer({ NUXT_SESSION_COOKIE_SECURE: 'false', NUXT_ALLOW_INSECURE_COOKIES: 'true' })
    try {
      const setCookie = async (url: string) => {
        const response = await fetch(`${url}/api/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: uniqueName('lan') }),
        })
        expect(response.status).toBeLessThan(300)
        return response.headers.get('set-cookie') ?? ''
      }
      expect(await setCookie(secure.url)).toMatch(/;\s*Secure/i)
      const lanCookie = await setCookie(lan.url)
      expect(lanCookie).toMatch(/^nuxt-session=/)
      expect(lanCookie).not.toMatch(/;\s*Secure/i)
      // The cookie works for the next request, as it does for a browser on a LAN.
      const { cookie } = await signIn(lan.url, uniqueName('lan'))
      expect((await fetch(`${lan.url}/api/session`, { headers: { cookie } })).status).toBe(200)
    }
    finally {
      await Promise.all([secure.stop(), lan.stop()])
    }
  })
})
