import { expect, test } from '@playwright/test'
import { composer, expectNoCspViolationOrDialogAfterEach, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

test('a muted room: a mention there shows no toast and no badge, the sidebar shows the bell, another room still tells', async ({ browser }) => {
  const aliceName = uniqueName('alice')
  const alice = await signedInPage(browser, aliceName)
  const bob = await signedInPage(browser, uniqueName('bob'))
  const muted = uniqueName('muted')
  const loud = uniqueName('loud')
  for (const name of [muted, loud]) expect((await bob.context().request.post('/api/rooms', { data: { name } })).status()).toBe(201)
  const mutedLink = alice.getByRole('link', { name: new RegExp(muted) })
  const loudLink = alice.getByRole('link', { name: new RegExp(loud) })
  await expect(mutedLink).toBeVisible()

  // Alice mutes the room from its header, then goes back to general.
  await mutedLink.click()
  await expect(composer(alice, muted)).toBeVisible()
  await alice.getByTestId('mute').selectOption('forever')
  await expect(alice.getByTestId('mute')).toContainText('Muted until unmuted')
  await expect(mutedLink.getByTestId('muted')).toHaveAttribute('aria-label', 'Muted until unmuted')
  await alice.getByRole('link', { name: 'general', exact: true }).click()
  await expect(composer(alice, 'general')).toBeVisible()

  const post = (room: string, text: string) => bob.context().request.post(`/api/rooms/${room}/messages`, { data: { text, clientId: uniqueName('c') } })
  expect((await post(muted, `@${aliceName} in the muted room`)).status()).toBe(201)
  expect((await post(loud, `@${aliceName} in the loud room`)).status()).toBe(201)

  // The later mention shows; the muted room's, sent first, never did.
  await expect(alice.getByTestId('mention-toast').filter({ hasText: `#${loud}` })).toBeVisible()
  await expect(loudLink.getByTestId('mention-badge')).toHaveText('@1')
  await expect(alice.getByTestId('mention-toast').filter({ hasText: `#${muted}` })).toHaveCount(0)
  await expect(mutedLink.getByTestId('mention-badge')).toHaveCount(0)
  await expect(mutedLink.getByTestId('unread')).toHaveCount(0)
  await expect(mutedLink.getByTestId('unread-dot')).toHaveCount(0)
})

test('a mute set in one tab applies in the other at once, and unmuting takes the bell away', async ({ browser }) => {
  const aliceName = uniqueName('alice')
  const alice = await signedInPage(browser, aliceName)
  const otherTab = await alice.context().newPage()
  await otherTab.goto('/rooms/general')
  const room = uniqueName('quiet')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  const link = otherTab.getByRole('link', { name: new RegExp(room) })
  await expect(link).toBeVisible()

  expect((await alice.context().request.put(`/api/rooms/${room}/notifications`, { data: { level: null, mutedUntil: Date.now() + 3_600_000 } })).status()).toBe(200)
  await expect(link.getByTestId('muted')).toHaveAttribute('aria-label', /^Muted until/)
  expect((await alice.context().request.put(`/api/rooms/${room}/notifications`, { data: { level: 'mentions', mutedUntil: null } })).status()).toBe(200)
  await expect(link.getByTestId('muted')).toHaveCount(0)
})
