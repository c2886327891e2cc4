import { expect, test } from '@playwright/test'
import { expectConnected, expectNoCspViolationOrDialogAfterEach, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

test('pinned messages: one person pins, everyone in the room finds it under "Pinned", and the pinner unpins it', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('pins')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  for (const page of [alice, bob]) {
    await page.goto(`/rooms/${room}`)
    await expectConnected(page)
  }
  const text = `the plan is ${uniqueName('p')}`
  await sendMessage(bob, text, room)
  await expect(alice.getByTestId('pins-toggle')).toHaveText('Pinned')

  const atAlice = alice.getByTestId('message').filter({ hasText: text })
  await atAlice.hover()
  await atAlice.getByRole('button', { name: 'Pin message for the room', exact: true }).click()
  // Bob, who wrote it, sees it pinned live, and finds it in the room's list.
  const atBob = bob.getByTestId('message').filter({ hasText: text })
  await expect(atBob.getByTestId('pinned-mark')).toBeVisible()
  await expect(bob.getByTestId('pins-toggle')).toHaveText('Pinned (1)')
  await bob.getByTestId('pins-toggle').click()
  await expect(bob.getByTestId('pinned-message')).toContainText(text)
  // The list leads to the message in the room, highlighted as a search result is.
  await bob.getByTestId('pinned-jump').click()
  await expect(atBob).toHaveAttribute('data-highlighted', 'true')
  await expect(atBob).toBeInViewport()
  // Only its pinner (or a moderator) may take it back: bob is offered no Unpin.
  await atBob.hover()
  await expect(atBob.getByRole('button', { name: 'Unpin message', exact: true })).toHaveCount(0)

  await atAlice.hover()
  await atAlice.getByRole('button', { name: 'Unpin message', exact: true }).click()
  await expect(bob.getByTestId('pinned-message')).toHaveCount(0)
  await expect(bob.getByTestId('pins-toggle')).toHaveText('Pinned')
  await expect(atBob.getByTestId('pinned-mark')).toHaveCount(0)
})
