import { describe, expect, it } from 'vitest'
import { BANNED_UNTIL } from '#shared/workspace-admin'
import type { AuditLogEntry } from '#shared/workspace-admin'
import { describeAuditEntry, isSuspended, memberStanding } from '~/utils/admin-format'

const ada = { id: 'a', name: 'Ada', username: 'ada' }
const bob = { id: 'b', name: 'Bob', username: 'bob' }
const entry = (action: string, details: Record<string, unknown> = {}, target: typeof bob | null = bob): AuditLogEntry => ({
  id: '1', ts: 0, actorId: 'a', action, targetType: target ? 'user' : 'workspace', targetId: target?.id ?? 'settings', details, actor: ada, target,
})

describe('admin page formatting', () => {
  it('tells active, suspended and banned members apart, a past suspension counting as active', () => {
    expect(memberStanding({ suspendedUntil: null }, 1000)).toBe('Active')
    expect(memberStanding({ suspendedUntil: 500 }, 1000)).toBe('Active')
    expect(memberStanding({ suspendedUntil: BANNED_UNTIL }, 1000)).toBe('Banned')
    expect(memberStanding({ suspendedUntil: 2000 }, 1000)).toMatch(/^Suspended until /)
    expect([isSuspended({ suspendedUntil: 500 }, 1000), isSuspended({ suspendedUntil: 2000 }, 1000)]).toEqual([false, true])
  })

  it('describes audit entries with the actor, the target and what changed', () => {
    expect(describeAuditEntry(entry('user.role_changed', { from: 'member', to: 'admin' }))).toBe('Ada (@ada) changed the role of Bob (@bob) (member → admin)')
    expect(describeAuditEntry(entry('user.banned'))).toBe('Ada (@ada) banned Bob (@bob)')
    expect(describeAuditEntry(entry('workspace.settings_changed', { guests: { from: true, to: false } }, null))).toBe('Ada (@ada) changed the workspace settings (guests: true → false)')
    expect(describeAuditEntry({ ...entry('some.new_action'), actor: null })).toBe('The system some.new_action Bob (@bob)')
  })
})
