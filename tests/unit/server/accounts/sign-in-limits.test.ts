import { expect, it } from 'vitest'
import { lockDuration } from '#server/utils/accounts/sign-in-limits'

it('locks nothing for the free failures, then doubles the lock from one second up to a quarter of an hour', () => {
  expect([1, 5].map(count => lockDuration(count, 5))).toEqual([0, 0])
  expect([6, 7, 8, 9].map(count => lockDuration(count, 5))).toEqual([1000, 2000, 4000, 8000])
  expect(lockDuration(40, 5)).toBe(15 * 60 * 1000)
})
