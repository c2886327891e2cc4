import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { BANNED_UNTIL } from '#server/utils/storage/account-types'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { ChatClient, createRoom, signIn, uniqueName } from './support/client'
import { closeSocketsAfterEach } from './support/open-sockets'
import { expectRefusal } from './support/rest'
import { api, apiOk, login, makeInvite, postLogin, postRegister, register } from './support/workspace'
import type { Member } from './support/workspace'

closeSocketsAfterEach()

/** Resolves once the wall clock has passed `time` (an invite's expiry is a time, not an event to wait for). */
const clockPast = (time: number) => new Promise(resolve => setTimeout(resolve, Math.max(0, time - Date.now() + 5)))

/**
 * The workspace's admin API on a server of its own: the first account registered on a fresh installation is
 * its owner, which the shared e2e server cannot promise.
 */
describe('workspace administration', () => {
  let server: RunningServer
  let url: string
  let owner: Member
  let admin: Member

  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_MESSAGES_PER_SECOND: '0', NUXT_LIMITS_FRAMES_PER_SECOND: '0' })
    url = server.url
    owner = await register(url, 'owner')
    admin = await register(url, 'admin')
    await apiOk(url, owner.cookie, 'PATCH', `/api/workspace/members/${admin.user.id}`, { role: 'admin' })
  }, 30_000)
  afterAll(() => server?.stop())
  afterEach(async () => {
    await apiOk(url, owner.cookie, 'PATCH', '/api/workspace', { guests: true, registration: 'open' })
  })

  it('makes the first account the owner and later ones members', async () => {
    expect(owner.role).toBe('owner')
    const member = await register(url, 'later')
    expect(member.role).toBe('member')
    expect(await apiOk(url, member.cookie, 'GET', '/api/session')).toMatchObject({ role: 'member' })
  })

  describe('registration modes', () => {
    it('takes anyone when open, only invitees when invite-only, and nobody when closed', async () => {
      const guest = await signIn(url, uniqueName('reader'))
      expect(await apiOk(url, guest.cookie, 'GET', '/api/workspace')).toEqual({ guests: true, registration: 'open', notificationLevel: 'all' })

      await apiOk(url, owner.cookie, 'PATCH', '/api/workspace', { registration: 'closed' })
      expect(await apiOk(url, guest.cookie, 'GET', '/api/workspace')).toEqual({ guests: true, registration: 'closed', notificationLevel: 'all' })
      await expectRefusal(postRegister(url, uniqueName('closed'), 'long enough password'), 403, 'registration_closed')
      const { token } = await makeInvite(url, owner.cookie)
      await expectRefusal(postRegister(url, uniqueName('closed'), 'long enough password', token), 403, 'registration_closed')

      await apiOk(url, owner.cookie, 'PATCH', '/api/workspace', { registration: 'invite' })
      // Signing up without any invite is not a bad link: the answer says the workspace is invite-only.
      const uninvited = await postRegister(url, uniqueName('uninvited'), 'long enough password')
      expect({ status: uninvited.status, data: (await uninvited.json()).data }).toEqual({
        status: 403,
        data: { code: 'invite_required', message: expect.stringContaining('invite-only') },
      })
      await expectRefusal(postRegister(url, uniqueName('forged'), 'long enough password', `${token}x`), 403, 'invalid_invite')
      expect((await register(url, 'invited', token)).role).toBe('member')

      await apiOk(url, owner.cookie, 'PATCH', '/api/workspace', { registration: 'open' })
      expect((await register(url, 'walk-in')).role).toBe('member')
    })

    it('refuses settings that are not a mode or a switch', async () => {
      await expectRefusal(api(url, owner.cookie, 'PATCH', '/api/workspace', { registration: 'sometimes' }), 400, 'invalid_event')
      await expectRefusal(api(url, owner.cookie, 'PATCH', '/api/workspace', { guests: 'no' }), 400, 'invalid_event')
      await expectRefusal(api(url, owner.cookie, 'PATCH', '/api/workspace', {}), 400, 'invalid_event')
    })
  })

  describe('invites', () => {
    it('shows the token once, stores only its hash, and counts uses up to the limit', async () => {
      await apiOk(url, owner.cookie, 'PATCH', '/api/workspace', { registration: 'invite' })
      const { invite, url: link, token } = await makeInvite(url, admin.cookie, 24, 2)
      expect(link).toBe(`${url}/?invite=${token}`)
      expect(Buffer.from(token, 'base64url')).toHaveLength(32)
      expect(invite).toMatchObject({ maxUses: 2, uses: 0, status: 'active', creator: { id: admin.user.id } })

      await register(url, 'first-use', token)
      await register(url, 'second-use', token)
      await expectRefusal(postRegister(url, uniqueName('third-use'), 'long enough password', token), 403, 'invalid_invite')

      const listing = await api(url, admin.cookie, 'GET', '/api/invites')
      const text = await listing.text()
      expect(text).not.toContain(token)
      const listed = (JSON.parse(text) as { invites: { id: string }[] }).invites.find(entry => entry.id === invite.id)
      expect(listed).toMatchObject({ uses: 2, maxUses: 2, status: 'used_up' })
    })

    it('gives the last use to exactly one of several sign-ups at the same moment', async () => {
      await apiOk(url, owner.cookie, 'PATCH', '/api/workspace', { registration: 'invite' })
      const { token } = await makeInvite(url, owner.cookie, 1, 1)
      const answers = await Promise.all(Array.from({ length: 6 }, () => postRegister(url, uniqueName('racer'), 'long enough password', token)))
      expect(answers.map(answer => answer.status).sort()).toEqual([201, 403, 403, 403, 403, 403])
    })

    it('stops working at its expiry', async () => {
      await apiOk(url, owner.cookie, 'PATCH', '/api/workspace', { registration: 'invite' })
      const { invite, token } = await makeInvite(url, owner.cookie, 1 / 3600, 5)
      await clockPast(invite.expiresAt)
      await expectRefusal(postRegister(url, uniqueName('late'), 'long enough password', token), 403, 'invalid_invite')
      const { invites } = await apiOk<{ invites: { id: string, status: string, uses: number }[] }>(url, owner.cookie, 'GET', '/api/invites')
      expect(invites.find(entry => entry.id === invite.id)).toMatchObject({ status: 'expired', uses: 0 })
    })

    it('stops working once revoked', async () => {
      await apiOk(url, owner.cookie, 'PATCH', '/api/workspace', { registration: 'invite' })
      const { invite, token } = await makeInvite(url, owner.cookie, 1, 5)
      await apiOk(url, admin.cookie, 'DELETE', `/api/invites/${invite.id}`, undefined, 204)
      await expectRefusal(postRegister(url, uniqueName('revoked'), 'long enough password', token), 403, 'invalid_invite')
      await expectRefusal(api(url, admin.cookie, 'DELETE', `/api/invites/${invite.id}`), 404, 'not_found')
      const { invites } = await apiOk<{ invites: { id: string, status: string }[] }>(url, owner.cookie, 'GET', '/api/invites')
      expect(invites.find(entry => entry.id === invite.id)).toMatchObject({ status: 'revoked' })
    })

    it('refuses an expiry or a use count out of range', async () => {
      for (const body of [{ expiresInHours: 0, maxUses: 1 }, { expiresInHours: 1, maxUses: 0 }, { expiresInHours: 1, maxUses: 1.5 }, { expiresInHours: 10_000, maxUses: 1 }, { maxUses: 1 }]) {
        await expectRefusal(api(url, owner.cookie, 'POST', '/api/invites', body), 400, 'invalid_event')
      }
    })
  })

  describe('who may administer', () => {
    /** Every admin route, with a body that would succeed for an admin. */
    const adminRoutes = (targetId: string): [string, string, unknown?][] => [
      ['GET', '/api/invites'],
      ['POST', '/api/invites', { expiresInHours: 1, maxUses: 1 }],
      ['DELETE', '/api/invites/some-invite'],
      ['PATCH', '/api/workspace', { guests: true }],
      ['GET', '/api/workspace/members'],
      ['PATCH', `/api/workspace/members/${targetId}`, { role: 'member' }],
      ['POST', `/api/workspace/members/${targetId}/suspension`, {}],
      ['DELETE', `/api/workspace/members/${targetId}/suspension`],
      ['GET', '/api/audit'],
    ]

    it('refuses a member and a guest on every admin route with 403, and a stranger with 401', async () => {
      const member = await register(url, 'plain')
      const target = await register(url, 'target')
      const guest = await signIn(url, uniqueName('visitor'))
      for (const cookie of [member.cookie, guest.cookie]) {
        for (const [method, path, body] of adminRoutes(target.user.id)) {
          const response = await api(url, cookie, method, path, body)
          expect(`${method} ${path} ${response.status} ${(await response.json()).data?.code}`).toBe(`${method} ${path} 403 forbidden`)
        }
      }
      for (const [method, path, body] of adminRoutes(target.user.id)) {
        expect(`${method} ${path} ${(await api(url, '', method, path, body)).status}`).toBe(`${method} ${path} 401`)
      }
      // Nothing happened to the target.
      expect((await login(url, target)).length).toBeGreaterThan(0)
    })

    it('lets an admin moderate members but never the owner, another admin, or give the admin role', async () => {
      const member = await register(url, 'junior')
      const otherAdmin = await register(url, 'peer')
      await apiOk(url, owner.cookie, 'PATCH', `/api/workspace/members/${otherAdmin.user.id}`, { role: 'admin' })
      await expectRefusal(api(url, admin.cookie, 'POST', `/api/workspace/members/${owner.user.id}/suspension`, {}), 403, 'forbidden')
      await expectRefusal(api(url, admin.cookie, 'POST', `/api/workspace/members/${otherAdmin.user.id}/suspension`, {}), 403, 'forbidden')
      await expectRefusal(api(url, admin.cookie, 'PATCH', `/api/workspace/members/${member.user.id}`, { role: 'admin' }), 403, 'forbidden')
      await expectRefusal(api(url, admin.cookie, 'PATCH', `/api/workspace/members/${admin.user.id}`, { role: 'owner' }), 403, 'forbidden')
      await expectRefusal(api(url, owner.cookie, 'PATCH', `/api/workspace/members/${member.user.id}`, { role: 'owner' }), 403, 'forbidden')
      await expectRefusal(api(url, owner.cookie, 'PATCH', '/api/workspace/members/nobody-at-all', { role: 'member' }), 404, 'unknown_user')
      const { member: changed } = await apiOk<{ member: { role: string } }>(url, admin.cookie, 'PATCH', `/api/workspace/members/${member.user.id}`, { role: 'guest' })
      expect(changed.role).toBe('guest')
      expect(await apiOk(url, member.cookie, 'GET', '/api/session')).toMatchObject({ role: 'guest', user: { guest: true } })
    })

    it('lists members with their role, activity and suspension, and nothing secret', async () => {
      const response = await api(url, admin.cookie, 'GET', '/api/workspace/members')
      const { members } = await response.json() as { members: Record<string, unknown>[] }
      expect(members.find(entry => entry.id === owner.user.id)).toEqual({
        id: owner.user.id, username: owner.username, displayName: owner.username, role: 'owner',
        createdAt: expect.any(Number), lastSeenAt: expect.any(Number), suspendedUntil: null,
      })
    })
  })

  describe('suspensions and bans', () => {
    it('closes a banned user\'s sockets, ends their sessions and refuses their sign-in and upgrade until lifted', async () => {
      const banned = await register(url, 'troll')
      const watcher = await register(url, 'watcher')
      const room = await createRoom(url, watcher.cookie)
      const watching = await ChatClient.connect(url, watcher.cookie)
      await watching.join(room)
      const sockets = [await ChatClient.connect(url, banned.cookie), await ChatClient.connect(url, banned.cookie)]
      await sockets[0]!.join(room)
      await watching.nextOfType('presence', event => event.users.some(entry => entry.user.id === banned.user.id && entry.state === 'online'))

      const { member } = await apiOk<{ member: { suspendedUntil: number } }>(url, admin.cookie, 'POST', `/api/workspace/members/${banned.user.id}/suspension`, {})
      expect(member.suspendedUntil).toBe(BANNED_UNTIL)
      for (const socket of sockets) expect(await socket.closed).toMatchObject({ code: 1008 })
      await watching.nextOfType('presence', event => event.users.some(entry => entry.user.id === banned.user.id && entry.state === 'offline'))

      await expectRefusal(api(url, banned.cookie, 'GET', '/api/session'), 401, 'unauthorized')
      await expectRefusal(postLogin(url, banned.username, banned.password), 403, 'suspended')
      await expect(ChatClient.connect(url, banned.cookie)).rejects.toThrow('upgrade refused: 401')

      await apiOk(url, admin.cookie, 'DELETE', `/api/workspace/members/${banned.user.id}/suspension`)
      // The sessions stay ended: lifting lets them sign in again, it does not bring back the old cookie.
      await expectRefusal(api(url, banned.cookie, 'GET', '/api/session'), 401, 'unauthorized')
      const cookie = await login(url, banned)
      await ChatClient.connect(url, cookie)
    })

    it('suspends until a time, refusing a time already past', async () => {
      const member = await register(url, 'cooling')
      await expectRefusal(api(url, owner.cookie, 'POST', `/api/workspace/members/${member.user.id}/suspension`, { until: Date.now() - 1000 }), 400, 'invalid_event')
      const until = Date.now() + 3_600_000
      const { member: suspended } = await apiOk<{ member: { suspendedUntil: number } }>(url, owner.cookie, 'POST', `/api/workspace/members/${member.user.id}/suspension`, { until })
      expect(suspended.suspendedUntil).toBe(until)
      await expectRefusal(postLogin(url, member.username, member.password), 403, 'suspended')
    })
  })

  describe('guests', () => {
    it('ends every guest session when guests are turned off, and takes guests again when turned on', async () => {
      const guest = await signIn(url, uniqueName('drifter'))
      const member = await register(url, 'stayer')
      const guestSocket = await ChatClient.connect(url, guest.cookie)
      const memberSocket = await ChatClient.connect(url, member.cookie)
      const turnedOffAt = Date.now()
      await apiOk(url, admin.cookie, 'PATCH', '/api/workspace', { guests: false })
      expect((await guestSocket.closed).code).toBe(1008)
      expect(Date.now() - turnedOffAt).toBeLessThan(1000)
      await expectRefusal(api(url, guest.cookie, 'GET', '/api/session'), 401, 'unauthorized')
      await expect(ChatClient.connect(url, guest.cookie)).rejects.toThrow('upgrade refused: 401')
      await expectRefusal(api(url, '', 'POST', '/api/session', { name: uniqueName('newcomer') }), 403, 'guests_disabled')
      // Members are not guests: their socket stays open and answers.
      expect(await memberSocket.join(await createRoom(url, member.cookie))).toBe(0)
      expect(await apiOk(url, member.cookie, 'GET', '/api/session')).toMatchObject({ role: 'member' })

      await apiOk(url, admin.cookie, 'PATCH', '/api/workspace', { guests: true })
      expect((await signIn(url, uniqueName('returning'))).user.name).toMatch(/^returning-/)
    })
  })

  describe('audit log', () => {
    it('records role changes, suspensions, bans, lifts, invites and settings, newest first, with names', async () => {
      const target = await register(url, 'audited')
      await apiOk(url, owner.cookie, 'PATCH', `/api/workspace/members/${target.user.id}`, { role: 'admin' })
      await apiOk(url, owner.cookie, 'PATCH', `/api/workspace/members/${target.user.id}`, { role: 'member' })
      const until = Date.now() + 60_000
      await apiOk(url, admin.cookie, 'POST', `/api/workspace/members/${target.user.id}/suspension`, { until })
      await apiOk(url, admin.cookie, 'DELETE', `/api/workspace/members/${target.user.id}/suspension`)
      await apiOk(url, admin.cookie, 'POST', `/api/workspace/members/${target.user.id}/suspension`, {})
      const { invite } = await makeInvite(url, admin.cookie, 2, 3)
      await apiOk(url, admin.cookie, 'DELETE', `/api/invites/${invite.id}`, undefined, 204)
      await apiOk(url, admin.cookie, 'PATCH', '/api/workspace', { registration: 'closed' })

      const { entries } = await apiOk<{ entries: { action: string, actor: { id: string } | null, target: { id: string, name: string } | null, targetId: string, details: unknown }[] }>(url, admin.cookie, 'GET', '/api/audit?limit=8')
      expect(entries.map(entry => [entry.action, entry.actor?.id, entry.targetId, entry.details])).toEqual([
        ['workspace.settings_changed', admin.user.id, 'settings', { registration: { from: 'open', to: 'closed' } }],
        ['invite.revoked', admin.user.id, invite.id, {}],
        ['invite.created', admin.user.id, invite.id, { expiresAt: invite.expiresAt, maxUses: 3 }],
        ['user.banned', admin.user.id, target.user.id, {}],
        ['user.suspension_lifted', admin.user.id, target.user.id, { was: until }],
        ['user.suspended', admin.user.id, target.user.id, { until }],
        ['user.role_changed', owner.user.id, target.user.id, { from: 'admin', to: 'member' }],
        ['user.role_changed', owner.user.id, target.user.id, { from: 'member', to: 'admin' }],
      ])
      expect(entries[3]!.target).toMatchObject({ id: target.user.id, username: target.username })
    })

    it('pages back with before, and refuses a page size out of range', async () => {
      const first = await apiOk<{ entries: { id: string }[], before: string | null }>(url, owner.cookie, 'GET', '/api/audit?limit=2')
      expect(first.entries).toHaveLength(2)
      const second = await apiOk<{ entries: { id: string }[] }>(url, owner.cookie, 'GET', `/api/audit?limit=2&before=${first.before}`)
      expect(second.entries).toHaveLength(2)
      expect(second.entries[0]!.id < first.entries[1]!.id).toBe(true)
      await expectRefusal(api(url, owner.cookie, 'GET', '/api/audit?limit=0'), 400, 'invalid_event')
      await expectRefusal(api(url, owner.cookie, 'GET', '/api/audit?limit=abc'), 400, 'invalid_event')
    })
  })
})
