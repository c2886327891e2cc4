import { describe, expect, it } from 'vitest'
import { may, mayInRoom, mayModerateUser } from '#server/utils/accounts/policy'
import type { Actor } from '#server/utils/accounts/policy'

const owner: Actor = { id: 'o', role: 'owner' }
const admin: Actor = { id: 'a', role: 'admin' }
const otherAdmin: Actor = { id: 'a2', role: 'admin' }
const member: Actor = { id: 'm', role: 'member' }
const guest: Actor = { id: 'g', role: 'guest' }

describe('workspace policy', () => {
  it('lets admins and the owner run the workspace, and nobody below', () => {
    for (const action of ['workspace.configure', 'invites.manage', 'audit.read', 'members.list'] as const) {
      expect([owner, admin, member, guest].map(actor => may(actor, action))).toEqual([true, true, false, false])
    }
  })

  it('keeps passwords and passkeys for lasting accounts, not guests', () => {
    expect([owner, member, guest].map(actor => may(actor, 'credentials.manage'))).toEqual([true, true, false])
  })

  it('lets a moderator act only on someone ranked below, never on themselves, and grant at most the rank below their own', () => {
    expect(mayModerateUser(admin, member)).toBe(true)
    expect(mayModerateUser(admin, guest)).toBe(true)
    expect(mayModerateUser(admin, otherAdmin)).toBe(false)
    expect(mayModerateUser(admin, owner)).toBe(false)
    expect(mayModerateUser(admin, admin)).toBe(false)
    expect(mayModerateUser(member, guest)).toBe(false)
    expect(mayModerateUser(admin, member, 'admin')).toBe(false)
    expect(mayModerateUser(owner, member, 'admin')).toBe(true)
    expect(mayModerateUser(owner, admin, 'owner')).toBe(false)
  })

  it('lets a room\'s owner and the workspace admins moderate a room, not its other members', () => {
    expect(mayInRoom(member, 'owner', 'room.moderate')).toBe(true)
    expect(mayInRoom(member, 'member', 'room.moderate')).toBe(false)
    expect(mayInRoom(guest, null, 'room.manage_members')).toBe(false)
    expect(mayInRoom(admin, null, 'room.manage_members')).toBe(true)
  })
})
