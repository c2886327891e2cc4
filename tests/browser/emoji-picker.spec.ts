import { expect, test } from '@playwright/test'
import { composer, expectConnected, expectNoCspViolationOrDialogAfterEach, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

test('emoji picker: search an emoji into the composer, and react with any emoji, with data served by banter', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('emoji')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  const emojiRequests: string[] = []
  alice.on('request', request => emojiRequests.push(new URL(request.url()).origin))
  for (const page of [alice, bob]) {
    await page.goto(`/rooms/${room}`)
    await expectConnected(page)
  }

  await composer(alice, room).fill('launch ')
  await alice.getByRole('button', { name: 'Insert an emoji' }).click()
  const picker = alice.getByTestId('emoji-picker')
  await picker.getByRole('combobox').fill('rocket')
  await picker.getByRole('option', { name: /^🚀/ }).first().click()
  await expect(picker).toHaveCount(0)
  await expect(composer(alice, room)).toHaveValue('launch 🚀')
  await composer(alice, room).press('Enter')

  const atBob = bob.getByTestId('message').filter({ hasText: 'launch 🚀' })
  await atBob.hover()
  await atBob.getByRole('button', { name: 'React with another emoji' }).click()
  const bobsPicker = bob.getByTestId('emoji-picker')
  await bobsPicker.getByRole('combobox').fill('avocado')
  await bobsPicker.getByRole('option', { name: /^🥑/ }).first().click()
  await expect(alice.getByTestId('message').filter({ hasText: 'launch 🚀' }).getByTestId('reaction')).toHaveText('🥑 1')
  // Everything the picker needed came from banter's own origin.
  expect(new Set(emojiRequests)).toEqual(new Set([new URL(alice.url()).origin]))
})
