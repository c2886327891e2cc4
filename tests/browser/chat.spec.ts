import { expect, test } from '@playwright/test'
import { composer, expectConnected, expectNoCspViolationOrDialogAfterEach, messageTexts, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

test('two people chat live in general', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const hello = `hello from alice ${uniqueName('m')}`
  const reply = `hi alice ${uniqueName('m')}`

  await sendMessage(alice, hello)
  await expect(bob.getByTestId('message-text').filter({ hasText: hello })).toHaveCount(1)
  await expect(composer(alice)).toHaveValue('')

  await sendMessage(bob, reply)
  await expect(alice.getByTestId('message-text').filter({ hasText: reply })).toHaveCount(1)
  // Both see the same conversation in the same order.
  const tail = async (page: typeof alice) => (await messageTexts(page).allTextContents()).slice(-2)
  expect(await tail(alice)).toEqual([hello, reply])
  expect(await tail(bob)).toEqual([hello, reply])
})

test('Shift+Enter writes a new line and Enter sends the message as text, never as HTML', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const marker = uniqueName('html')
  await composer(alice).fill(`<img src=x onerror="alert('${marker}')">`)
  await composer(alice).press('Shift+Enter')
  await composer(alice).pressSequentially('<b>second line</b>')
  await composer(alice).press('Enter')
  const shown = bob.getByTestId('message-text').filter({ hasText: marker })
  await expect(shown).toHaveCount(1)
  // The line break is kept (as a <br>, which innerText reads as a new line); the tags stay text.
  expect(await shown.innerText()).toBe(`<img src=x onerror="alert('${marker}')">\n<b>second line</b>`)
  await expect(shown.locator('br')).toHaveCount(1)
  expect(await bob.locator('img[src="x"]').count()).toBe(0)
})

test('a message written offline shows as pending, arrives exactly once after reconnecting, and the pending mark clears', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const whileAway = `sent while offline ${uniqueName('m')}`
  const missed = `bob missed this ${uniqueName('m')}`

  await bob.context().setOffline(true)
  await expect(bob.getByTestId('connection-status')).toContainText('offline')
  await sendMessage(bob, whileAway)
  await expect(bob.getByTestId('pending')).toHaveCount(1)
  await sendMessage(alice, missed)
  await expect(alice.getByTestId('message-text').filter({ hasText: missed })).toHaveCount(1)

  await bob.context().setOffline(false)
  await expectConnected(bob)
  await expect(bob.getByTestId('pending')).toHaveCount(0)
  await expect(alice.getByTestId('message-text').filter({ hasText: whileAway })).toHaveCount(1)
  await expect(bob.getByTestId('message-text').filter({ hasText: whileAway })).toHaveCount(1)
  // Caught up: what alice said while bob was offline is there once.
  await expect(bob.getByTestId('message-text').filter({ hasText: missed })).toHaveCount(1)
})

test('an edit made offline shows at once as not saved yet, and is saved once the socket is back', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const text = `edit me offline ${uniqueName('m')}`
  await sendMessage(bob, text)
  const seq = await bob.getByTestId('message').filter({ hasText: text }).getAttribute('data-seq')
  const atBob = bob.locator(`[data-testid="message"][data-seq="${seq}"]`)
  const atAlice = alice.locator(`[data-testid="message"][data-seq="${seq}"]`)
  await expect(atAlice).toContainText(text)

  await bob.context().setOffline(true)
  await expect(bob.getByTestId('connection-status')).toContainText('offline')
  await atBob.hover()
  await atBob.getByRole('button', { name: 'Edit message' }).click()
  await atBob.getByRole('textbox', { name: 'Edit message' }).fill(`${text}, fixed`)
  await bob.keyboard.press('Enter')
  await expect(atBob.getByTestId('message-text')).toHaveText(`${text}, fixed`)
  await expect(atBob.getByTestId('edit-pending')).toHaveText('(not saved yet)')
  await expect(atAlice.getByTestId('message-text')).toHaveText(text)

  await bob.context().setOffline(false)
  await expectConnected(bob)
  await expect(atBob.getByTestId('edit-pending')).toHaveCount(0)
  await expect(atBob.getByTestId('edited')).toBeVisible()
  await expect(atAlice.getByTestId('message-text')).toHaveText(`${text}, fixed`)
})

test('a reload keeps the history, and the history is in the server-rendered page', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const text = `remember me ${uniqueName('m')}`
  await sendMessage(alice, text)
  await expect(alice.getByTestId('message-text').filter({ hasText: text })).toHaveCount(1)

  const html = await (await alice.context().request.get('/rooms/general')).text()
  expect(html).toContain(text)

  await alice.reload()
  await expect(alice.getByTestId('message-text').filter({ hasText: text })).toHaveCount(1)
  await expectConnected(alice)
})

test('a new room appears live in the other person\'s sidebar', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('plans')
  await alice.getByLabel(/new room/i).fill(room)
  await alice.getByLabel(/new room/i).press('Enter')
  await expect(alice).toHaveURL(new RegExp(`/rooms/${room}$`))
  await expect(bob.getByRole('link', { name: new RegExp(room) })).toBeVisible()
})

test('signing out closes the socket and returns to the sign-in page', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  await alice.getByRole('button', { name: /sign out/i }).click()
  await expect(alice).toHaveURL(/\/$/)
  await alice.goto('/rooms/general')
  await expect(alice).toHaveURL(/\/$/)
})
