import { expect, test } from '@playwright/test'
import type { Page } from '@playwright/test'
import { expectConnected, expectNoCspViolationOrDialogAfterEach, messageTexts, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

/** The page opens a room with its newest 50 messages; 120 make two more pages, the last one short. */
const HISTORY_SIZE = 120

/** Creates a fresh room as the page's user and posts `count` numbered messages into it over REST. */
async function roomWithHistory(page: Page, count: number): Promise<string> {
  const room = uniqueName('history')
  const created = await page.context().request.post('/api/rooms', { data: { name: room } })
  expect(created.status()).toBe(201)
  // One after another: the numbers in the texts follow the seqs.
  for (let index = 1; index <= count; index++) {
    const response = await page.context().request.post(`/api/rooms/${room}/messages`, {
      data: { text: `message ${String(index).padStart(3, '0')}`, clientId: `${room}-${index}` },
    })
    expect(response.status()).toBe(201)
  }
  return room
}

async function openRoom(page: Page, room: string): Promise<void> {
  await page.goto(`/rooms/${room}`)
  await expectConnected(page)
}

function scroller(page: Page) {
  return page.getByRole('log')
}

/** Scrolls the message list to `distance` px above its bottom and waits a frame, so the page has seen the scroll. */
async function scrollAboveBottom(page: Page, distance: number): Promise<void> {
  await scroller(page).evaluate((element, distance) => {
    element.scrollTop = element.scrollHeight - element.clientHeight - distance
    return new Promise(resolve => requestAnimationFrame(resolve))
  }, distance)
}

test('scrolling up pages in the whole history and keeps the message being read in place', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const room = await roomWithHistory(alice, HISTORY_SIZE)
  await openRoom(alice, room)
  const messages = alice.getByTestId('message')
  await expect(messages).toHaveCount(50)
  await expect(alice.getByTestId('history-start')).not.toContainText('beginning')

  for (const expectedCount of [100, HISTORY_SIZE]) {
    // At the very top, the oldest message shown is the one being read: note where it is, in the same frame.
    const before = await scroller(alice).evaluate((element) => {
      element.scrollTop = 0
      const top = element.querySelector<HTMLElement>('[data-testid="message"]')!
      return { seq: top.dataset.seq!, y: top.getBoundingClientRect().y }
    })
    await expect(messages).toHaveCount(expectedCount)
    const reading = alice.locator(`[data-testid="message"][data-seq="${before.seq}"]`)
    await expect(reading).toBeInViewport()
    const after = await reading.boundingBox()
    expect(Math.abs(after!.y - before.y)).toBeLessThanOrEqual(3)
  }

  await expect(alice.getByTestId('history-start')).toHaveText(`This is the beginning of #${room}`)
  await expect(messageTexts(alice).first()).toHaveText('message 001')
  await expect(messageTexts(alice).last()).toHaveText(`message ${HISTORY_SIZE}`)
})

test('new messages while scrolled up show a "jump to latest" button with their count', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = await roomWithHistory(alice, HISTORY_SIZE)
  await openRoom(alice, room)
  await openRoom(bob, room)
  const jump = alice.getByTestId('jump-to-latest')

  // Up from the bottom, far enough not to count as reading the newest.
  await scrollAboveBottom(alice, 400)
  await sendMessage(bob, 'first while alice reads', room)
  await expect(jump).toHaveText('1 new message — jump to latest')
  await sendMessage(bob, 'second while alice reads', room)
  await sendMessage(bob, 'newest while alice reads', room)
  await expect(jump).toHaveText('3 new messages — jump to latest')
  const newest = messageTexts(alice).filter({ hasText: 'newest while alice reads' })
  await expect(newest).not.toBeInViewport()

  await jump.click()
  await expect(newest).toBeInViewport()
  await expect(jump).toBeHidden()

  // Back at the bottom, the list follows new messages by itself.
  await sendMessage(bob, 'seen at once', room)
  await expect(messageTexts(alice).filter({ hasText: 'seen at once' })).toBeInViewport()
  await expect(jump).toBeHidden()
})

test('links, inline code and code blocks render as elements; other schemes stay text', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('format')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  await openRoom(bob, room)

  const texts = {
    link: 'the guide is at https://example.com/guide?page=2.',
    scripted: 'javascript:alert("not a link") and data:text/html,<b>x</b>',
    inline: 'run `npm test` before pushing',
    block: 'like this:\n```ts\nconst answer = 42\nconsole.log(answer)\n```',
  }
  for (const [key, text] of Object.entries(texts)) {
    const response = await alice.context().request.post(`/api/rooms/${room}/messages`, { data: { text, clientId: `${room}-${key}` } })
    expect(response.status()).toBe(201)
  }

  // Live over the socket, then server-rendered after a reload.
  await expectFormatted(bob, texts)
  await bob.reload()
  await expectFormatted(bob, texts)
})

async function expectFormatted(page: Page, texts: Record<'link' | 'scripted' | 'inline' | 'block', string>): Promise<void> {
  const link = messageTexts(page).filter({ hasText: 'the guide is at' })
  await expect(link.locator('a')).toHaveCount(1)
  await expect(link.locator('a')).toHaveAttribute('href', 'https://example.com/guide?page=2')
  await expect(link.locator('a')).toHaveAttribute('rel', 'noopener noreferrer nofollow')
  await expect(link.locator('a')).toHaveAttribute('target', '_blank')
  await expect(link.locator('a')).toHaveText('https://example.com/guide?page=2')
  expect(await link.textContent()).toBe(texts.link)

  const scripted = messageTexts(page).filter({ hasText: 'not a link' })
  await expect(scripted).toHaveCount(1)
  await expect(scripted.locator('a')).toHaveCount(0)
  expect(await scripted.textContent()).toBe(texts.scripted)

  await expect(messageTexts(page).filter({ hasText: 'before pushing' }).locator('code')).toHaveText('npm test')
  const block = messageTexts(page).filter({ hasText: 'like this:' }).locator('pre > code')
  await expect(block).toHaveCount(1)
  expect(await block.textContent()).toBe('const answer = 42\nconsole.log(answer)')
  expect(await page.locator('[data-testid="message-text"] a:not([href^="https:"])').count()).toBe(0)
}
