import { describe, expect, it } from 'vitest'
import { MUTED_FOREVER } from '#shared/notification-levels'
import { muteEnd, muteEndLabel } from '~/utils/mute-options'

describe('mute options', () => {
  const now = new Date(2026, 11, 2, 22, 15)

  it('ends a timed mute that long from now, "until tomorrow" at 8 the next morning, "forever" never', () => {
    expect(muteEnd('1h', now)).toBe(now.getTime() + 3_600_000)
    expect(muteEnd('8h', now)).toBe(now.getTime() + 28_800_000)
    expect(muteEnd('tomorrow', now)).toBe(new Date(2026, 11, 3, 8, 0).getTime())
    expect(muteEnd('tomorrow', new Date(2026, 11, 31, 9))).toBe(new Date(2027, 0, 1, 8).getTime())
    expect(muteEnd('forever', now)).toBe(MUTED_FOREVER)
  })

  it('reads the end as a time today, a day and time later, or until unmuted', () => {
    expect(muteEndLabel(MUTED_FOREVER, now)).toBe('until unmuted')
    expect(muteEndLabel(new Date(2026, 11, 2, 23, 15).getTime(), now)).toMatch(/^until \d\d:\d\d|^until \d/)
    expect(muteEndLabel(new Date(2026, 11, 3, 8).getTime(), now)).not.toBe(muteEndLabel(new Date(2026, 11, 2, 8).getTime(), now))
  })
})
