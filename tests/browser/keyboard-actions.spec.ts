import { expect, test } from '@playwright/test'
import type { Locator, Page } from '@playwright/test'
import { composer, expectNoCspViolationOrDialogAfterEach, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

/** The focus outline (or ring drawn as a shadow) of an element, and the colour of what it is drawn on. */
async function focusRing(locator: Locator) {
  return locator.evaluate((element) => {
    const style = getComputedStyle(element)
    // The ring is drawn outside the element: what shows around it is the nearest painted ancestor.
    let behind = element.parentElement
    while (behind && /rgba\(.*, 0\)$|^transparent$/.test(getComputedStyle(behind).backgroundColor)) behind = behind.parentElement
    return {
      outline: style.outlineStyle === 'none' ? 0 : Number.parseFloat(style.outlineWidth),
      color: style.outlineColor,
      boxShadow: style.boxShadow,
      background: behind ? getComputedStyle(behind).backgroundColor : 'rgb(255, 255, 255)',
    }
  })
}

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrast(first: string, second: string): number {
  const luminance = (color: string) => {
    const [red, green, blue] = color.match(/[\d.]+/g)!.slice(0, 3).map(Number).map((channel) => {
      const value = channel / 255
      return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * red! + 0.7152 * green! + 0.0722 * blue!
  }
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a)
  return (light! + 0.05) / (dark! + 0.05)
}

/** A visible focus indicator: a solid line at least 2px wide that stands out 3:1 from what surrounds it (WCAG 1.4.11). */
async function expectVisibleFocus(locator: Locator) {
  await expect(locator).toBeFocused()
  const ring = await focusRing(locator)
  expect(ring.outline > 0 || ring.boxShadow !== 'none', JSON.stringify(ring)).toBe(true)
  if (ring.outline > 0) {
    expect(ring.outline).toBeGreaterThanOrEqual(2)
    expect(contrast(ring.color, ring.background), JSON.stringify(ring)).toBeGreaterThanOrEqual(3)
  }
}

/** Sends a message and moves from the composer back onto it with Shift+Tab, as a keyboard user would. */
async function focusOwnNewMessage(page: Page, name: string, text: string) {
  await sendMessage(page, text)
  // Found by its seq, which stays when the text is edited or deleted.
  const seq = await page.getByTestId('message').filter({ hasText: text }).getAttribute('data-seq')
  const message = page.locator(`[data-testid="message"][data-seq="${seq}"]`)
  await expect(message).toBeVisible()
  await expect(composer(page)).toBeFocused()
  await page.keyboard.press('Shift+Tab')
  await expectVisibleFocus(message)
  // A screen reader hears whose message it is and what it says.
  await expect(message).toHaveAccessibleName(`Message from ${name} (@${name}, guest)`)
  await expect(message).toHaveAccessibleDescription(text)
  return message
}

test('keyboard only: from the composer to one\'s own message, its React and its Edit, with the focus always visible', async ({ browser }) => {
  const name = uniqueName('alice')
  const alice = await signedInPage(browser, name)
  const text = `keys ${uniqueName('m')}`
  const mine = await focusOwnNewMessage(alice, name, text)

  // Tab goes into the message's toolbar, which shows itself and says what it is.
  await alice.keyboard.press('Tab')
  const toolbar = mine.getByRole('toolbar', { name: 'Message actions' })
  await expect(toolbar).toBeVisible()
  const thumbsUp = toolbar.getByRole('button', { name: 'React with 👍' })
  await expectVisibleFocus(thumbsUp)
  await alice.keyboard.press('Enter')
  await expect(mine.getByTestId('reaction')).toHaveText('👍 1')
  await expect(mine.getByTestId('reaction')).toHaveAttribute('aria-pressed', 'true')

  // The arrow keys move inside the toolbar; End is its last button, the emoji picker, after Delete.
  await expect(toolbar.getByRole('button', { name: 'Delete message' })).toBeVisible()
  await alice.keyboard.press('End')
  await expectVisibleFocus(toolbar.getByRole('button', { name: 'React with another emoji' }))
  await alice.keyboard.press('ArrowLeft')
  await alice.keyboard.press('ArrowLeft')
  const edit = toolbar.getByRole('button', { name: 'Edit message' })
  await expectVisibleFocus(edit)
  await alice.keyboard.press('Enter')
  const editor = alice.getByRole('textbox', { name: 'Edit message' })
  await expect(editor).toBeFocused()
  await alice.keyboard.press('End')
  await alice.keyboard.type(' (edited by keyboard)')
  await alice.keyboard.press('Enter')
  await expect(mine.getByTestId('message-text')).toHaveText(`${text} (edited by keyboard)`)
  await expect(mine.getByTestId('edited')).toBeVisible()
  // Focus comes back to the message instead of falling to the page.
  await expectVisibleFocus(mine)
})

test('keyboard only, dark theme at phone width: the toolbar fits on screen and its focus ring stands out', async ({ browser }) => {
  const name = uniqueName('alice')
  const alice = await signedInPage(browser, name)
  await alice.emulateMedia({ colorScheme: 'dark' })
  await alice.setViewportSize({ width: 360, height: 740 })
  const text = `phone ${uniqueName('m')}`
  const mine = await focusOwnNewMessage(alice, name, text)

  await alice.keyboard.press('Tab')
  const toolbar = mine.getByRole('toolbar', { name: 'Message actions' })
  await expect(toolbar).toBeInViewport({ ratio: 1 })
  await expectVisibleFocus(toolbar.getByRole('button', { name: 'React with 👍' }))
  // Left of the first button is the last, the emoji picker; left of that, Delete.
  await alice.keyboard.press('ArrowLeft')
  await alice.keyboard.press('ArrowLeft')
  const remove = toolbar.getByRole('button', { name: 'Delete message' })
  await expectVisibleFocus(remove)
  await alice.keyboard.press('Enter')
  // The question takes focus on its harmless answer; Escape keeps the message, and focus returns to it.
  await expectVisibleFocus(mine.getByRole('button', { name: 'Keep it' }))
  await alice.keyboard.press('Escape')
  await expect(mine.getByRole('button', { name: 'Keep it' })).toHaveCount(0)
  await expectVisibleFocus(mine)
  // Tab returns to the button last used.
  await alice.keyboard.press('Tab')
  await expectVisibleFocus(remove)
  await alice.keyboard.press('Enter')
  await expectVisibleFocus(mine.getByRole('button', { name: 'Keep it' }))
  await alice.keyboard.press('Shift+Tab')
  await expectVisibleFocus(mine.getByRole('button', { name: 'Yes, delete' }))
  await alice.keyboard.press('Enter')
  await expect(mine.getByTestId('tombstone')).toHaveText('This message was deleted.')
  await expectVisibleFocus(mine)
  await expect(mine).toHaveAccessibleDescription('This message was deleted.')
})

test('keyboard only: Arrow Up in the empty composer edits one\'s last message, and Escape drops a reply', async ({ browser }) => {
  const name = uniqueName('alice')
  const alice = await signedInPage(browser, name)
  const first = `first ${uniqueName('m')}`
  const last = `last with a tpyo ${uniqueName('m')}`
  await sendMessage(alice, first)
  await sendMessage(alice, last)
  // Found by its seq: while it is edited, its text is in the editor's field.
  const seq = await alice.getByTestId('message').filter({ hasText: last }).getAttribute('data-seq')
  const message = alice.locator(`[data-testid="message"][data-seq="${seq}"]`)
  await expect(message).toBeVisible()

  await composer(alice).focus()
  await alice.keyboard.press('ArrowUp')
  const editor = message.getByRole('textbox', { name: 'Edit message' })
  await expect(editor).toBeFocused()
  await expect(editor).toHaveValue(last)
  await editor.fill(last.replace('tpyo', 'typo'))
  await alice.keyboard.press('Enter')
  await expect(message.getByTestId('edited')).toBeVisible()
  await expect(message).toContainText('last with a typo')
  // Back in the composer, to go on typing.
  await expect(composer(alice)).toBeFocused()

  // A reply being written is dropped with Escape, and the composer keeps what was typed.
  await alice.getByTestId('message').filter({ hasText: first }).hover()
  await alice.getByTestId('message').filter({ hasText: first }).getByRole('button', { name: 'Reply to message' }).click()
  await expect(alice.getByTestId('replying-to')).toContainText(first)
  await expect(composer(alice)).toBeFocused()
  await composer(alice).fill('never mind')
  await alice.keyboard.press('Escape')
  await expect(alice.getByTestId('replying-to')).toHaveCount(0)
  await expect(composer(alice)).toHaveValue('never mind')
})

test('keyboard only: Arrow Up in the empty thread composer edits one\'s last reply there, and goes back to it', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const root = `root ${uniqueName('m')}`
  await sendMessage(alice, root)
  const rootMessage = alice.getByRole('log').getByTestId('message').filter({ hasText: root })
  await rootMessage.hover()
  await rootMessage.getByRole('button', { name: 'Reply in thread', exact: true }).click()
  const thread = alice.getByTestId('thread-panel')
  const input = thread.getByTestId('thread-input')
  await input.fill('reply with a tpyo')
  await input.press('Enter')
  const reply = thread.getByTestId('thread-reply')
  await expect(reply).toContainText('reply with a tpyo')

  await input.focus()
  await alice.keyboard.press('ArrowUp')
  const editor = reply.getByRole('textbox', { name: 'Edit message' })
  await expect(editor).toBeFocused()
  await editor.fill('reply with a typo')
  await alice.keyboard.press('Enter')
  await expect(reply.getByTestId('edited')).toBeVisible()
  await expect(reply).toContainText('reply with a typo')
  await expect(input).toBeFocused()
  // The room's own composer did not open anything in the room's timeline.
  await expect(alice.getByRole('log').getByRole('textbox', { name: 'Edit message' })).toHaveCount(0)
})
