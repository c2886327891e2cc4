import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import type { AlertKind, Alerts, NotificationLevel } from '#shared/notification-levels'
import { MUTED_FOREVER, RoomNotificationChoiceSchema, alertsFor, isMuted, preferenceFor } from '#shared/notification-levels'

const NOW = 1_750_000_000_000
const KINDS: AlertKind[] = ['message', 'mention', 'direct', 'thread-reply']

const silent: Alerts = { badge: 'none', mentionBadge: false, signal: false, notify: false, push: false }
const dot: Alerts = { ...silent, badge: 'dot' }
const addressed: Alerts = { badge: 'count', mentionBadge: true, signal: true, notify: true, push: true }
const everyMessage: Alerts = { badge: 'count', mentionBadge: false, signal: false, notify: true, push: true }

/** The whole table, unmuted: level → kind → alerts. */
const EXPECTED: Record<NotificationLevel, Record<AlertKind, Alerts>> = {
  'all': { 'message': everyMessage, 'mention': addressed, 'direct': addressed, 'thread-reply': addressed },
  'mentions': { 'message': dot, 'mention': addressed, 'direct': addressed, 'thread-reply': addressed },
  'nothing': { 'message': dot, 'mention': dot, 'direct': dot, 'thread-reply': dot },
}

describe('alertsFor', () => {
  for (const level of Object.keys(EXPECTED) as NotificationLevel[]) {
    for (const kind of KINDS) {
      it(`level ${level}, ${kind}, not muted`, () => {
        expect(alertsFor({ level, mutedUntil: null }, { kind }, NOW)).toEqual(EXPECTED[level][kind])
      })
      it(`level ${level}, ${kind}, mute ended`, () => {
        expect(alertsFor({ level, mutedUntil: NOW }, { kind }, NOW)).toEqual(EXPECTED[level][kind])
        expect(alertsFor({ level, mutedUntil: NOW - 1 }, { kind }, NOW)).toEqual(EXPECTED[level][kind])
      })
      it(`level ${level}, ${kind}, muted for an hour or forever: nothing at all`, () => {
        expect(alertsFor({ level, mutedUntil: NOW + 3_600_000 }, { kind }, NOW)).toEqual(silent)
        expect(alertsFor({ level, mutedUntil: NOW + 1 }, { kind }, NOW)).toEqual(silent)
        expect(alertsFor({ level, mutedUntil: MUTED_FOREVER }, { kind }, NOW)).toEqual(silent)
      })
    }
  }

  it('a mute expires at its end time, to the millisecond', () => {
    const preference = { level: 'all' as const, mutedUntil: NOW + 8 * 3_600_000 }
    expect(alertsFor(preference, { kind: 'mention' }, preference.mutedUntil - 1).signal).toBe(false)
    expect(alertsFor(preference, { kind: 'mention' }, preference.mutedUntil).signal).toBe(true)
    expect(isMuted(preference, preference.mutedUntil - 1)).toBe(true)
    expect(isMuted(preference, preference.mutedUntil)).toBe(false)
    expect(isMuted({ mutedUntil: MUTED_FOREVER }, NOW * 100)).toBe(true)
  })
})

describe('preferenceFor', () => {
  it('takes the user\'s own level first', () => {
    expect(preferenceFor({ level: 'nothing', mutedUntil: null }, { workspaceDefault: 'all', direct: true })).toEqual({ level: 'nothing', mutedUntil: null })
  })

  it('follows the workspace default in a room, and all in a direct message', () => {
    expect(preferenceFor(null, { workspaceDefault: 'nothing', direct: false }).level).toBe('nothing')
    expect(preferenceFor({ level: null, mutedUntil: null }, { workspaceDefault: 'mentions', direct: false }).level).toBe('mentions')
    expect(preferenceFor(null, { workspaceDefault: 'nothing', direct: true }).level).toBe('all')
  })

  it('keeps the mute whatever the level', () => {
    expect(preferenceFor({ level: null, mutedUntil: NOW }, { workspaceDefault: 'all', direct: false })).toEqual({ level: 'all', mutedUntil: NOW })
  })
})

describe('RoomNotificationChoiceSchema', () => {
  it('accepts a level, a mute, or neither', () => {
    expect(v.is(RoomNotificationChoiceSchema, { level: 'mentions', mutedUntil: null })).toBe(true)
    expect(v.is(RoomNotificationChoiceSchema, { level: null, mutedUntil: MUTED_FOREVER })).toBe(true)
  })

  it('refuses an unknown level, a mute past forever, a fraction or a negative time', () => {
    expect(v.is(RoomNotificationChoiceSchema, { level: 'loud', mutedUntil: null })).toBe(false)
    expect(v.is(RoomNotificationChoiceSchema, { level: null, mutedUntil: MUTED_FOREVER + 1 })).toBe(false)
    expect(v.is(RoomNotificationChoiceSchema, { level: null, mutedUntil: 1.5 })).toBe(false)
    expect(v.is(RoomNotificationChoiceSchema, { level: null, mutedUntil: -1 })).toBe(false)
    expect(v.is(RoomNotificationChoiceSchema, { level: null })).toBe(false)
  })
})
