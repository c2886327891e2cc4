import { expect, it } from 'vitest'
import { planLegacyGuests } from '#server/utils/storage/legacy-guests'

it('keeps ids and names, gives the earliest user a contested username, and the look-alike a guest-<id> one', () => {
  const planned = planLegacyGuests([
    { userId: 'late-1', name: 'ALICE', firstSeen: 20 },
    { userId: 'early-1', name: 'alice', firstSeen: 10 },
    { userId: 'spaces', name: 'Ada Lovelace', firstSeen: 30 },
    { userId: 'early-1', name: 'alice again', firstSeen: 40 },
  ], key => key === 'taken')
  expect(planned.map(account => [account.id, account.username, account.displayName, account.role])).toEqual([
    ['early-1', 'alice', 'alice', 'guest'],
    ['late-1', 'guest-late1', 'ALICE', 'guest'],
    ['spaces', 'ada-lovelace', 'Ada Lovelace', 'guest'],
  ])
})

it('does not take a username already held by an account', () => {
  const [account] = planLegacyGuests([{ userId: 'x', name: 'Taken', firstSeen: 1 }], key => key === planLegacyGuests([{ userId: 'y', name: 'taken', firstSeen: 1 }], () => false)[0]!.usernameKey)
  expect(account!.username).toBe('guest-x')
})
