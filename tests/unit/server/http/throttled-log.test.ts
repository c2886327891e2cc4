import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorAtMostEveryMinute, warnAtMostEveryMinute } from '#server/utils/http/throttled-log'
import { log } from '#server/utils/log/logger'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('logging at most once a minute per kind', () => {
  it('logs the first line of a kind, drops the rest for a minute, then says how many it dropped', () => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {})
    for (let index = 0; index < 5; index++) warnAtMostEveryMinute('flood-a', 'refused', 1_000 + index)
    expect(warn).toHaveBeenCalledTimes(1)
    warnAtMostEveryMinute('flood-a', 'refused', 61_000, { path: '/x' })
    expect(warn).toHaveBeenLastCalledWith('flood-a', 'refused', { path: '/x', suppressedLastMinute: 4 })
  })

  it('keeps kinds apart, logs a kind\'s event without what follows its colon, and passes an error along', () => {
    const error = vi.spyOn(log, 'error').mockImplementation(() => {})
    const failure = new Error('boom')
    errorAtMostEveryMinute('kind-b:203.0.113.7', 'failed', failure, 0)
    errorAtMostEveryMinute('kind-b:198.51.100.4', 'failed there too', failure, 0)
    errorAtMostEveryMinute('kind-b:203.0.113.7', 'failed', failure, 10)
    expect(error.mock.calls).toEqual([['kind-b', 'failed', { err: failure }], ['kind-b', 'failed there too', { err: failure }]])
  })
})
