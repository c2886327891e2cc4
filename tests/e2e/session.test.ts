import { describe, expect, inject, it } from 'vitest'
import { signIn, uniqueName } from './support/client'
import { expectRefusal } from './support/rest'

const baseURL = inject('baseURL')

function postSession(body: unknown, cookie = '') {
  return fetch(`${baseURL}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

describe('guest sessions', () => {
  it('signs in, reports the user and signs out', async () => {
    const name = uniqueName('carol')
    const { cookie, user } = await signIn(baseURL, `  ${name}  `)
    expect(user.name).toBe(name)
    const me = await fetch(`${baseURL}/api/session`, { headers: { cookie } })
    expect(me.status).toBe(200)
    expect(await me.json()).toEqual({ user })
    expect((await fetch(`${baseURL}/api/session`, { method: 'DELETE', headers: { cookie } })).status).toBe(204)
    await expectRefusal(fetch(`${baseURL}/api/session`, { headers: { cookie } }), 401, 'unauthorized')
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
    ['a newline', 'two\nlines'],
    ['not a string', 42],
  ])('refuses a name that is %s with a 400 and a clear message', async (_label, name) => {
    const response = await postSession({ name })
    expect(response.status).toBe(400)
    const body = await response.json()
    expect(body.data.code).toBe('invalid_event')
    expect(body.data.message).toMatch(/name|string/i)
  })

  it('refuses a body that is not JSON with 400 bad_json', async () => {
    const response = await postSession('{not json')
    expect(response.status).toBe(400)
    expect((await response.json()).data.code).toBe('bad_json')
  })

  it('keeps a held name (in any letter case) from another session with 409, and frees it on sign-out', async () => {
    const name = uniqueName('dave')
    const { cookie } = await signIn(baseURL, name)
    const taken = await postSession({ name: name.toUpperCase() })
    expect(taken.status).toBe(409)
    expect((await taken.json()).data.code).toBe('name_taken')
    await fetch(`${baseURL}/api/session`, { method: 'DELETE', headers: { cookie } })
    expect((await postSession({ name })).status).toBe(200)
  })

  it('lets the holder sign in again under the same name, keeping their id', async () => {
    const name = uniqueName('erin')
    const { cookie, user } = await signIn(baseURL, name)
    const again = await postSession({ name }, cookie)
    expect(again.status).toBe(200)
    expect((await again.json()).user.id).toBe(user.id)
  })
})
