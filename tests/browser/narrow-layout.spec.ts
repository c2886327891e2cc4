import { expect, test } from '@playwright/test'
import type { Locator, Page } from '@playwright/test'
import { expectConnected, expectNoCspViolationOrDialogAfterEach, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
const DESKTOP = { viewport: { width: 1280, height: 800 } }

/** Nothing is wider than the screen: the page never scrolls sideways. */
async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { width } = page.viewportSize()!
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
}

/** The element shows, with some width, wholly inside the screen. */
async function expectOnScreen(page: Page, element: Locator): Promise<void> {
  await expect(element).toBeVisible()
  const box = (await element.boundingBox())!
  const { width, height } = page.viewportSize()!
  expect(box.width).toBeGreaterThan(0)
  expect(box.x).toBeGreaterThanOrEqual(0)
  expect(box.y).toBeGreaterThanOrEqual(0)
  expect(box.x + box.width).toBeLessThanOrEqual(width)
  expect(box.y + box.height).toBeLessThanOrEqual(height)
}

/** The room's name in the header, readable: shown on the screen, some words wide rather than squeezed to its "#". */
async function expectTitleReadable(page: Page, room: string): Promise<void> {
  const title = page.getByRole('heading', { level: 1 })
  await expect(title).toContainText(room)
  await expectOnScreen(page, title)
  expect((await title.boundingBox())!.width).toBeGreaterThan(96)
}

/** A fresh room with one message of Bob's in it, open on his page. */
async function roomWithMessage(page: Page, text: string): Promise<string> {
  const room = uniqueName('a-rather-long-room-name')
  expect((await page.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  await page.goto(`/rooms/${room}`)
  await expectConnected(page)
  await sendMessage(page, text, room)
  return room
}

async function openThreadOn(page: Page, text: string): Promise<Locator> {
  const message = page.getByRole('log').getByTestId('message').filter({ hasText: text })
  await message.tap()
  await message.getByRole('button', { name: 'Reply in thread', exact: true }).tap()
  return page.getByTestId('thread-panel')
}

test.describe('on a phone', () => {
  test('the room header fits: the title shows, the room\'s controls are a tap away, nothing scrolls sideways', async ({ browser }) => {
    const bob = await signedInPage(browser, uniqueName('bob'), PHONE)
    const room = await roomWithMessage(bob, 'hello from a phone')

    await expectNoSidewaysScroll(bob)
    await expectTitleReadable(bob, room)

    await bob.getByRole('button', { name: 'Room options' }).tap()
    for (const control of [bob.getByTestId('notification-level'), bob.getByTestId('mute'), bob.getByTestId('pins-toggle'), bob.getByTestId('search-open')]) {
      await expectOnScreen(bob, control)
    }
    await expectNoSidewaysScroll(bob)
    await expectTitleReadable(bob, room)
  })

  test('a thread takes the screen, its Reply button shows, and closing it goes back to the room', async ({ browser }) => {
    const bob = await signedInPage(browser, uniqueName('bob'), PHONE)
    await roomWithMessage(bob, 'who is on call tonight?')

    const thread = await openThreadOn(bob, 'who is on call tonight?')
    await expect(thread.getByTestId('thread-root')).toContainText('who is on call tonight?')
    await expectNoSidewaysScroll(bob)
    await expectOnScreen(bob, thread.getByTestId('thread-root'))
    await expectOnScreen(bob, thread.getByTestId('thread-input'))
    const reply = thread.getByRole('button', { name: 'Reply', exact: true })
    await expectOnScreen(bob, reply)
    await thread.getByTestId('thread-input').fill('me')
    await reply.tap()
    await expect(thread.getByTestId('thread-reply')).toContainText('me')

    await expectOnScreen(bob, thread.getByRole('button', { name: 'Back to the room' }))
    await thread.getByRole('button', { name: 'Back to the room' }).tap()
    await expect(thread).toHaveCount(0)
    await expectOnScreen(bob, bob.getByRole('heading', { level: 1 }))
  })

  test('the Rooms drawer keeps Sign out on the screen, however many rooms it lists', async ({ browser }) => {
    const bob = await signedInPage(browser, uniqueName('bob'), PHONE)
    // More rooms than the drawer has room for: its list scrolls, and Sign out must stay in reach all the same.
    // Private ones, listed for Bob only: public rooms would count towards every later spec's rooms per connection.
    for (let count = 0; count < 25; count++) {
      expect((await bob.context().request.post('/api/rooms', { data: { name: uniqueName('listed'), private: true } })).status()).toBe(201)
    }
    await roomWithMessage(bob, 'off to the drawer')

    await bob.getByRole('button', { name: 'Rooms' }).tap()
    await expectOnScreen(bob, bob.getByRole('button', { name: 'Sign out' }))
    await expectNoSidewaysScroll(bob)
  })
})

test('on a desktop with a thread open, the header still names the room and shows its whole mute control', async ({ browser }) => {
  const bob = await signedInPage(browser, uniqueName('bob'), DESKTOP)
  const room = await roomWithMessage(bob, 'a thread beside the room')
  const message = bob.getByRole('log').getByTestId('message').filter({ hasText: 'a thread beside the room' })
  await message.hover()
  await message.getByRole('button', { name: 'Reply in thread', exact: true }).click()
  const thread = bob.getByTestId('thread-panel')
  await expect(thread.getByTestId('thread-root')).toBeVisible()

  await expectNoSidewaysScroll(bob)
  await expectTitleReadable(bob, room)
  const title = bob.getByRole('heading', { level: 1 })
  // Each control shows whole, left of the thread panel rather than cut off under it.
  const panelLeft = (await thread.boundingBox())!.x
  for (const control of [title, bob.getByTestId('notification-level'), bob.getByTestId('mute'), bob.getByTestId('search-open')]) {
    await expectOnScreen(bob, control)
    const box = (await control.boundingBox())!
    expect(box.x + box.width).toBeLessThanOrEqual(panelLeft)
  }
})
