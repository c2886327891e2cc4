import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { startOidcProvider } from '../support/oidc-provider'
import type { OidcIdentity, OidcProvider } from '../support/oidc-provider'
import { signIn, uniqueName } from './support/client'

/** The cookies a browser would hold for one origin, from Set-Cookie headers (deleted ones dropped). */
class CookieJar {
  private readonly cookies = new Map<string, string>()
  constructor(initial = '') {
    for (const part of initial.split(';').map(item => item.trim()).filter(Boolean)) {
      const equals = part.indexOf('=')
      this.cookies.set(part.slice(0, equals), part.slice(equals + 1))
    }
  }

  take(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';')
      const equals = pair.indexOf('=')
      const name = pair.slice(0, equals).trim()
      const value = pair.slice(equals + 1).trim()
      const expired = attributes.some(attribute => /^\s*max-age=0\s*$/i.test(attribute) || /^\s*expires=Thu, 01 Jan 1970/i.test(attribute))
      if (expired || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  get header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** Only the session cookie, as a copy another browser could hold. */
  session(): string {
    return `nuxt-session=${this.cookies.get('nuxt-session') ?? ''}`
  }
}

interface SsoOutcome {
  /** Where banter sent the browser at the end: '/' on success, '/?sso_error=<code>' on a refusal. */
  landedOn: string
  jar: CookieJar
}

/**
 * A browser's single sign-on, step by step with manual redirects: banter's /auth/oidc sends it to the
 * provider, the provider (no login page: it signs in whoever `nextLogin` chose) back with a code, and banter's
 * callback ends on its own page. `tamper` changes the callback URL first (a forged state, for instance).
 */
async function signInWithSso(baseURL: string, jar = new CookieJar(), tamper?: (callback: URL) => void): Promise<SsoOutcome> {
  const start = await fetch(`${baseURL}/auth/oidc`, { redirect: 'manual', headers: { cookie: jar.header } })
  expect(start.status).toBe(302)
  jar.take(start)
  const authorize = await fetch(start.headers.get('location')!, { redirect: 'manual' })
  expect(authorize.status).toBe(302)
  const callback = new URL(authorize.headers.get('location')!)
  expect(callback.origin + callback.pathname).toBe(`${baseURL}/auth/oidc`)
  tamper?.(callback)
  const done = await fetch(callback, { redirect: 'manual', headers: { cookie: jar.header } })
  expect(done.status).toBe(302)
  jar.take(done)
  return { landedOn: done.headers.get('location')!, jar }
}

async function sessionOf(baseURL: string, cookie: string) {
  const response = await fetch(`${baseURL}/api/session`, { headers: { cookie } })
  return response.ok ? await response.json() as { user: { id: string, name: string, username: string }, role: string } : null
}

describe('single sign-on against a mock OpenID provider', () => {
  let provider: OidcProvider
  let server: RunningServer
  let db: Database.Database
  const baseURL = () => server.url
  const person = (prefix: string): OidcIdentity => {
    const username = uniqueName(prefix)
    return { sub: `sub-${username}`, preferred_username: username, name: `${prefix} Person`, email: `${username}@example.test` }
  }

  beforeAll(async () => {
    provider = await startOidcProvider()
    server = await startServer(provider.env)
    // The server's own SQLite file, to ban a user or close registration as an admin would (their routes are elsewhere).
    db = new Database(server.databasePath)
  })
  afterAll(async () => {
    db?.close()
    await server?.stop()
    await provider?.stop()
  })

  it('offers single sign-on on the sign-in page only where it is configured', async () => {
    expect(await (await fetch(`${baseURL()}/api/auth/methods`)).json()).toEqual({ password: true, passkeys: true, oidc: true, guests: true })
    const unconfigured = inject('baseURL')
    expect(await (await fetch(`${unconfigured}/api/auth/methods`)).json()).toMatchObject({ oidc: false })
    expect((await fetch(`${unconfigured}/auth/oidc`, { redirect: 'manual' })).status).toBe(404)
  })

  it('creates the account on the first sign-in, from the provider\'s profile, and signs it in', async () => {
    const alice = person('alice')
    provider.nextLogin(alice)
    const exchanged = provider.tokenRequests()
    const { landedOn, jar } = await signInWithSso(baseURL())
    expect(landedOn).toBe('/')
    expect(provider.tokenRequests()).toBe(exchanged + 1)
    const session = await sessionOf(baseURL(), jar.session())
    expect(session?.user).toMatchObject({ username: alice.preferred_username, name: 'alice Person' })
    const row = db.prepare('SELECT oidc_subject, password_hash FROM users WHERE id = ?').get(session!.user.id)
    expect(row).toEqual({ oidc_subject: `${provider.issuer}#${alice.sub}`, password_hash: null })
  })

  it('signs the same person in to the same account the next time, with a new session', async () => {
    const bob = person('bob')
    provider.nextLogin(bob)
    const first = await signInWithSso(baseURL())
    provider.nextLogin({ ...bob, name: 'renamed at the provider' })
    const second = await signInWithSso(baseURL())
    const [one, two] = [await sessionOf(baseURL(), first.jar.session()), await sessionOf(baseURL(), second.jar.session())]
    expect(two?.user.id).toBe(one?.user.id)
    expect(second.jar.session()).not.toBe(first.jar.session())
    const sessions = db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ? AND revoked_at IS NULL').get(one!.user.id)
    expect(sessions).toEqual({ n: 2 })
  })

  it('keeps people apart by subject: the same preferred_username from someone else gets another username', async () => {
    const carol = person('carol')
    provider.nextLogin(carol)
    const first = await sessionOf(baseURL(), (await signInWithSso(baseURL())).jar.session())
    // Without an e-mail or a name to fall back on, the preferred username is numbered.
    provider.nextLogin({ sub: `${carol.sub}-other`, preferred_username: carol.preferred_username })
    const other = await sessionOf(baseURL(), (await signInWithSso(baseURL())).jar.session())
    expect(other?.user.id).not.toBe(first?.user.id)
    expect(other?.user.username).toBe(`${carol.preferred_username}-2`)
    // With a name, that comes before a number.
    provider.nextLogin({ ...carol, sub: `${carol.sub}-third`, email: undefined })
    expect((await sessionOf(baseURL(), (await signInWithSso(baseURL())).jar.session()))?.user.username).toBe('carol-person')
  })

  it('does not let a planted cookie carry over: the sign-in gets a new session and the planted one ends', async () => {
    const attacker = await signIn(baseURL(), uniqueName('mallory'))
    const victim = person('victim')
    provider.nextLogin(victim)
    const { landedOn, jar } = await signInWithSso(baseURL(), new CookieJar(attacker.cookie))
    expect(landedOn).toBe('/')
    expect(jar.session()).not.toBe(attacker.cookie)
    expect((await sessionOf(baseURL(), jar.session()))?.user.username).toBe(victim.preferred_username)
    // The attacker's copy of the planted cookie never sees the victim's account: signing in ended that session.
    expect(await sessionOf(baseURL(), attacker.cookie)).toBeNull()
  })

  it('refuses a banned user, and their earlier session stops working', async () => {
    const dave = person('dave')
    provider.nextLogin(dave)
    const before = await signInWithSso(baseURL())
    const account = await sessionOf(baseURL(), before.jar.session())
    db.prepare('UPDATE users SET suspended_until = ? WHERE id = ?').run(8.64e15, account!.user.id)
    provider.nextLogin(dave)
    const refused = await signInWithSso(baseURL())
    expect(refused.landedOn).toBe('/?sso_error=suspended')
    expect(await sessionOf(baseURL(), refused.jar.session())).toBeNull()
    expect(await sessionOf(baseURL(), before.jar.session())).toBeNull()
  })

  it('refuses a callback whose state was not the one it issued', async () => {
    provider.nextLogin(person('eve'))
    const forged = await signInWithSso(baseURL(), new CookieJar(), callback => callback.searchParams.set('state', 'forged'))
    expect(forged.landedOn).toBe('/?sso_error=invalid_credentials')
    expect(await sessionOf(baseURL(), forged.jar.session())).toBeNull()
  })

  // Last: it closes registration on this server.
  it('takes no new account while registration is closed, but still signs in an existing one', async () => {
    const known = person('known')
    provider.nextLogin(known)
    await signInWithSso(baseURL())
    db.prepare('INSERT INTO workspace_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run('registration', 'closed')
    db.prepare('INSERT INTO workspace_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run('guests', 'off')
    // Settings are cached for a moment; both are read together, so seeing guests off means registration is closed too.
    await vi.waitFor(async () => {
      expect(await (await fetch(`${baseURL()}/api/auth/methods`)).json()).toMatchObject({ guests: false })
    }, { timeout: 5000, interval: 100 })
    provider.nextLogin(person('newcomer'))
    expect((await signInWithSso(baseURL())).landedOn).toBe('/?sso_error=registration_closed')
    provider.nextLogin(known)
    const again = await signInWithSso(baseURL())
    expect(again.landedOn).toBe('/')
    expect((await sessionOf(baseURL(), again.jar.session()))?.user.username).toBe(known.preferred_username)
  })

  it('counts a single sign-on against the per-address sign-in rate, like any sign-in', async () => {
    const limited = await startServer({ ...provider.env, NUXT_LIMITS_SIGN_INS_PER_MINUTE: '2' })
    try {
      const outcomes: string[] = []
      for (let attempt = 0; attempt < 3; attempt++) {
        provider.nextLogin(person(`rate${attempt}`))
        outcomes.push((await signInWithSso(limited.url)).landedOn)
      }
      expect(outcomes).toEqual(['/', '/', '/?sso_error=rate_limited'])
    }
    finally {
      await limited.stop()
    }
  })
})
