import { afterEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import { createSSRApp } from 'vue'
import { renderToString } from 'vue/server-renderer'
import RelativeTime from '~/components/RelativeTime.vue'

enableAutoUnmount(afterEach)
afterEach(() => {
  vi.useRealTimers()
})

/** A moment in the reader's own time zone, as the relative texts and the tooltip are. */
const localTime = (hour: number, minute: number, second = 0) => new Date(2026, 2, 12, hour, minute, second).getTime()

/** A fixed clock; only Date and the refresh interval are faked, so Nuxt's own timers keep running. */
function freezeClockAt(now: number): void {
  vi.useFakeTimers({ now, toFake: ['Date', 'setInterval', 'clearInterval'] })
}

describe('RelativeTime', () => {
  it('renders a UTC stamp on the server, which knows neither the reader\'s clock nor their time zone', async () => {
    const ts = Date.UTC(2026, 2, 12, 14, 2, 9)
    const html = await renderToString(createSSRApp(RelativeTime, { ts }))
    expect(html).toContain('>2026-03-12 14:02 UTC</time>')
    expect(html).toContain('datetime="2026-03-12T14:02:09.000Z"')
    expect(html).not.toContain('title=')
  })

  it('says how long ago once mounted, with the exact local time in its title', async () => {
    freezeClockAt(localTime(14, 30, 30))
    const wrapper = await mountSuspended(RelativeTime, { props: { ts: localTime(14, 25, 9) } })
    expect(wrapper.text()).toBe('5 min ago')
    expect(wrapper.attributes('title')).toBe('Thu 12 Mar 2026, 14:25:09')
    expect(wrapper.attributes('datetime')).toBe(new Date(localTime(14, 25, 9)).toISOString())
  })

  it('keeps the relative text current as time passes', async () => {
    freezeClockAt(localTime(14, 30))
    const wrapper = await mountSuspended(RelativeTime, { props: { ts: localTime(14, 29, 50) } })
    expect(wrapper.text()).toBe('just now')
    await vi.advanceTimersByTimeAsync(2 * 60_000)
    expect(wrapper.text()).toBe('2 min ago')
  })
})
