import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { register, uniqueName } from './support/client'

/**
 * Who a lock keeps out: guesses from one address lock the account for that address only, so an attacker cannot
 * lock its owner out; the account as a whole locks only after guesses from many addresses.
 */
describe('sign-in locks', () => {
  let server: RunningServer

  beforeAll(async () => {
    // X-Forwarded-For stands for the client addresses, all on 127.0.0.1 here.
    server = await startServer({ NUXT_TRUST_PROXY: 'true' })
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  const logInFrom = (address: string, username: string, password: string) => fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ username, password }),
  })

  it('lock the account for the guessing address only; its owner still signs in from elsewhere', async () => {
    const username = uniqueName('henry')
    await register(server.url, username, 'the right password')
    for (let attempt = 0; attempt < 6; attempt++) expect((await logInFrom('10.1.0.1', username, `guess ${attempt}`)).status).toBe(401)
    const locked = await logInFrom('10.1.0.1', username, 'the right password')
    expect(locked.status).toBe(429)
    expect((await locked.json()).data.code).toBe('too_many_attempts')
    expect((await logInFrom('10.1.0.2', username, 'the right password')).status).toBe(200)
  })

  it('count an IPv6 network as one address', async () => {
    const username = uniqueName('jade')
    await register(server.url, username, 'the right password')
    for (let attempt = 1; attempt <= 6; attempt++) expect((await logInFrom(`2001:db8:0:1::${attempt}`, username, `guess ${attempt}`)).status).toBe(401)
    expect((await logInFrom('2001:db8:0:1::ff', username, 'the right password')).status).toBe(429)
    expect((await logInFrom('2001:db8:0:2::1', username, 'the right password')).status).toBe(200)
  })

  it('lock the account everywhere once guesses come from many addresses', async () => {
    const username = uniqueName('ivy')
    await register(server.url, username, 'the right password')
    // Five failures from each address are free there and count for the account, whose first fifty are free: the
    // next one locks it. (Failures past an address's five would not count: one address cannot get there alone.)
    for (let address = 0; address < 10; address++) {
      for (let attempt = 0; attempt < 5; attempt++) expect((await logInFrom(`10.2.0.${address}`, username, `guess ${attempt}`)).status).toBe(401)
    }
    expect((await logInFrom('10.2.0.10', username, 'one guess more')).status).toBe(401)
    const locked = await logInFrom('10.2.1.1', username, 'the right password')
    expect(locked.status).toBe(429)
    expect((await locked.json()).data.code).toBe('too_many_attempts')
  })
})
