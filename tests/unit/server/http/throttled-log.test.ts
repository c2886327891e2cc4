import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorAtMostEveryMinute, warnAtMostEveryMinute } from '#server/utils/http/throttled-log'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('logging at most once a minute per kind', () => {
  it('logs the first line of a kind, drops the rest for a minute, then says how many it dropped', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    for (let index = 0; index < 5; index++) warnAtMostEveryMinute('flood-a', 'refused', 1_000 + index)
    expect(warn).toHaveBeenCalledTimes(1)
    warnAtMostEveryMinute('flood-a', 'refused', 61_000)
    expect(warn).toHaveBeenLastCalledWith('refused (and 4 more like it in the last minute)')
  })

  it('keeps kinds apart, and passes an error along with its line', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const failure = new Error('boom')
    errorAtMostEveryMinute('kind-b', 'failed', failure, 0)
    errorAtMostEveryMinute('kind-c', 'failed too', failure, 0)
    errorAtMostEveryMinute('kind-b', 'failed', failure, 10)
    expect(error.mock.calls).toEqual([['failed', failure], ['failed too', failure]])
  })
})
