import { expect, test } from '@playwright/test'
import type { Page } from '@playwright/test'
import { expectConnected, expectNoCspViolationOrDialogAfterEach, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

/** Creates a room as the page's user and posts the texts into it over REST, one after another (seq = index + 1). */
async function roomWith(page: Page, texts: string[]): Promise<string> {
  const room = uniqueName('search')
  expect((await page.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  for (const [index, text] of texts.entries()) {
    const response = await page.context().request.post(`/api/rooms/${room}/messages`, { data: { text, clientId: `${room}-${index}` } })
    expect(response.status()).toBe(201)
  }
  return room
}

test('search finds an old message that is not loaded and jumps to it, with its surroundings, highlighted', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const word = `zebra${Math.random().toString(36).slice(2, 8)}`
  // 80 messages: the room opens on its newest 50 (31..80); the one searched for is the third.
  const texts = Array.from({ length: 80 }, (_, index) => `message ${index + 1}`)
  texts[2] = `the <img src=x onerror=alert(1)> ${word} plan`
  const room = await roomWith(alice, texts)
  await alice.goto(`/rooms/${room}`)
  await expectConnected(alice)
  await expect(alice.getByTestId('message')).toHaveCount(50)
  await expect(alice.locator('[data-testid="message"][data-seq="3"]')).toHaveCount(0)

  await alice.keyboard.press('Control+k')
  const dialog = alice.getByTestId('search-dialog')
  await expect(dialog).toBeVisible()
  await expect(alice.getByTestId('search-input')).toBeFocused()
  await alice.keyboard.type(word.slice(0, 7))
  const result = dialog.getByTestId('search-result')
  await expect(result).toHaveCount(1)
  await expect(result).toContainText(`#${room}`)
  // The snippet is the message's text, hostile markup as characters, the match in a <mark> (a prefix while typing).
  await expect(result.getByTestId('search-snippet')).toHaveText(texts[2]!)
  await expect(result.locator('mark')).toHaveText(word)
  await expect(result.locator('img')).toHaveCount(0)

  await result.click()
  await expect(dialog).toBeHidden()
  await expect(alice).toHaveURL(new RegExp(`/rooms/${room}\\?at=3$`))
  const target = alice.locator('[data-testid="message"][data-seq="3"]')
  await expect(target).toHaveAttribute('data-highlighted', 'true')
  await expect(target).toBeInViewport()
  await expect(target.getByTestId('message-text')).toHaveText(texts[2]!)
  // The history in between was loaded too: one unbroken timeline from the first message to the newest.
  await expect(alice.getByTestId('message')).toHaveCount(80)
  const shownSeqs = await alice.getByTestId('message').evaluateAll(elements => elements.map(element => Number((element as HTMLElement).dataset.seq)))
  expect(shownSeqs).toEqual(Array.from({ length: 80 }, (_, index) => index + 1))
  await expect(alice.locator('img')).toHaveCount(0)
})

test('the Search button opens the box, filters narrow it, and Escape closes it', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const word = `okapi${Math.random().toString(36).slice(2, 8)}`
  const room = await roomWith(alice, [`${word} in a new room`])
  await alice.context().request.post('/api/rooms/general/messages', { data: { text: `${word} in general`, clientId: `${word}-general` } })
  await alice.getByTestId('search-open').click()
  const dialog = alice.getByTestId('search-dialog')
  await alice.getByTestId('search-input').fill(word)
  await alice.getByTestId('search-input').press('Enter')
  await expect(dialog.getByTestId('search-result')).toHaveCount(2)
  // Newest first.
  await expect(dialog.getByTestId('search-result').first()).toContainText(`${word} in general`)
  await alice.getByTestId('search-room').selectOption(room)
  await expect(dialog.getByTestId('search-result')).toHaveCount(1)
  await expect(dialog.getByTestId('search-result')).toContainText(`#${room}`)
  await alice.getByTestId('search-input').fill(`${word} nothingmatches`)
  await alice.getByTestId('search-input').press('Enter')
  await expect(dialog.getByTestId('search-empty')).toBeVisible()
  await alice.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
})
