import { describe, expect, it } from 'vitest'
import { avatarHue, initialsOf } from '~/utils/avatar'
import { canSend, countCharacters, isEditLastKey, isNearLimit, isSendKey, lastEditable } from '~/utils/composer'
import { formatFileSize } from '~/utils/file-size'
import { connectionNotice, secondsUntil } from '~/utils/connection-status'
import { formatExactTime, formatRelativeTime } from '~/utils/relative-time'

describe('avatar', () => {
  it('takes up to two initials, emoji and accents included', () => {
    expect(initialsOf('Ada Lovelace')).toBe('AL')
    expect(initialsOf('bob')).toBe('B')
    expect(initialsOf('  zoë  de la cruz ')).toBe('ZD')
    expect(initialsOf('😀 party')).toBe('😀P')
    expect(initialsOf('   ')).toBe('?')
  })

  it('takes the first two words of a longer name, whatever the spacing', () => {
    expect(initialsOf('mary ann\tsmith')).toBe('MA')
    expect(initialsOf('élodie')).toBe('É')
  })

  it('gives each id the same hue on every device: FNV-1a of the id, modulo 360', () => {
    // The published FNV-1a 32-bit test vectors: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(avatarHue('')).toBe(0x811C9DC5 % 360)
    expect(avatarHue('a')).toBe(0xE40C292C % 360)
    expect(avatarHue('foobar')).toBe(0xBF9CF968 % 360)
  })

  it('spreads different ids over the colour wheel', () => {
    const hues = new Set(Array.from({ length: 50 }, (_, index) => avatarHue(`user-${index}`)))
    expect(hues.size).toBeGreaterThan(30)
    for (const hue of hues) {
      expect(Number.isInteger(hue)).toBe(true)
      expect(hue).toBeGreaterThanOrEqual(0)
      expect(hue).toBeLessThan(360)
    }
    // Around the whole wheel, not bunched on one side of it.
    expect(Math.max(...hues) - Math.min(...hues)).toBeGreaterThan(270)
  })
})

describe('composer keys and limits', () => {
  const key = (overrides: Partial<Parameters<typeof isSendKey>[0]>) => ({ key: 'Enter', shiftKey: false, isComposing: false, keyCode: 13, ...overrides })

  it('sends on Enter, not on Shift+Enter or while an IME is composing', () => {
    expect(isSendKey(key({}))).toBe(true)
    expect(isSendKey(key({ shiftKey: true }))).toBe(false)
    expect(isSendKey(key({ isComposing: true }))).toBe(false)
    expect(isSendKey(key({ keyCode: 229 }))).toBe(false)
    expect(isSendKey(key({ key: 'a', keyCode: 65 }))).toBe(false)
  })

  it('counts code points like the server and refuses blank or oversized text', () => {
    expect(countCharacters('😀😀')).toBe(2)
    expect(canSend('  \n ')).toBe(false)
    expect(canSend('😀'.repeat(4000))).toBe(true)
    expect(canSend('😀'.repeat(4001))).toBe(false)
    expect(isNearLimit(3499)).toBe(false)
    expect(isNearLimit(3500)).toBe(true)
  })

  it('takes Arrow Up alone as "edit my last message", not with a modifier or during an IME composition', () => {
    const up = { key: 'ArrowUp', shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, isComposing: false }
    expect(isEditLastKey(up)).toBe(true)
    expect([{ shiftKey: true }, { altKey: true }, { ctrlKey: true }, { metaKey: true }, { isComposing: true }, { key: 'ArrowDown' }]
      .map(change => isEditLastKey({ ...up, ...change }))).toEqual([false, false, false, false, false, false])
  })

  it('edits on Arrow Up the newest of your own messages still in the room\'s timeline', () => {
    const ada = { id: 'u1', name: 'Ada', username: 'ada' }
    const bob = { id: 'u2', name: 'Bob', username: 'bob' }
    const timeline = [
      { id: 'm1', user: ada },
      { id: 'm2', user: ada },
      { id: 'm3', user: ada, threadId: 'm1', alsoToRoom: true as const },
      { id: 'm4', user: ada, threadId: 'm1' },
      { id: 'm5', user: ada, deletedAt: 5 },
      { id: 'm6', user: bob },
    ]
    expect(lastEditable(timeline, 'u1')?.id).toBe('m3')
    expect(lastEditable(timeline.slice(0, 2), 'u1')?.id).toBe('m2')
    expect(lastEditable(timeline, 'u3')).toBeUndefined()
    expect(lastEditable(timeline, undefined)).toBeUndefined()
  })

  it('sends blank text only with files, and never oversized text', () => {
    expect(canSend('', 4000, true)).toBe(true)
    expect(canSend(' ', 4000, false)).toBe(false)
    expect(canSend('x'.repeat(4001), 4000, true)).toBe(false)
  })
})

describe('connection banner', () => {
  const state = { status: 'open' as const, reconnectAt: null, offline: false, needsSignIn: false }

  it('is hidden when open and says the most actionable thing otherwise', () => {
    expect(connectionNotice(state, 0)).toBeNull()
    expect(connectionNotice({ ...state, status: 'connecting' }, 0)?.text).toBe('Connecting…')
    expect(connectionNotice({ ...state, status: 'reconnecting', reconnectAt: 4_200 }, 1_000)?.text).toBe('Reconnecting in 4 s…')
    expect(connectionNotice({ ...state, status: 'reconnecting', reconnectAt: 900 }, 1_000)?.text).toBe('Reconnecting…')
    expect(connectionNotice({ ...state, status: 'reconnecting', offline: true }, 0)?.kind).toBe('offline')
    expect(connectionNotice({ ...state, status: 'closed', offline: true, needsSignIn: true }, 0)).toMatchObject({ kind: 'sign-in', link: { to: '/' } })
  })

  it('rounds the countdown up', () => {
    expect(secondsUntil(1_001, 0)).toBe(2)
    expect(secondsUntil(null, 0)).toBe(0)
  })
})

describe('relative times (local time zone)', () => {
  const at = (month: number, day: number, hour: number, minute = 0, year = 2026) => new Date(year, month - 1, day, hour, minute).getTime()
  const now = at(3, 12, 15, 30)

  it('reads like a chat app', () => {
    expect(formatRelativeTime(now - 30_000, now)).toBe('just now')
    expect(formatRelativeTime(now - 5 * 60_000, now)).toBe('5 min ago')
    expect(formatRelativeTime(at(3, 12, 13, 0), now)).toBe('2 h ago')
    expect(formatRelativeTime(at(3, 11, 14, 2), now)).toBe('yesterday 14:02')
    expect(formatRelativeTime(at(3, 8, 9, 5), now)).toBe('Sun 09:05')
    expect(formatRelativeTime(at(1, 31, 15, 0), now)).toBe('31 Jan 15:00')
    expect(formatRelativeTime(at(2, 6, 8, 0, 2024), now)).toBe('6 Feb 2024')
  })

  it('gives the exact time for the tooltip', () => {
    expect(formatExactTime(new Date(2026, 2, 12, 14, 2, 9).getTime())).toBe('Thu 12 Mar 2026, 14:02:09')
  })
})

describe('formatFileSize', () => {
  it('reads bytes as people do', () => {
    expect(formatFileSize(512)).toBe('512 B')
    expect(formatFileSize(1536)).toBe('1.5 KB')
    expect(formatFileSize(200 * 1024)).toBe('200 KB')
    expect(formatFileSize(10 * 1024 * 1024)).toBe('10 MB')
  })
})
