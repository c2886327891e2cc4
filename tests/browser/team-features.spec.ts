import { expect, test } from '@playwright/test'
import type { Page } from '@playwright/test'
import { LEAVE_GRACE_MS } from '../../server/utils/chat/join-leave'
import { composer, expectNoCspViolationOrDialogAfterEach, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

/** Pretends the tab was hidden or shown again, as switching tabs would. */
async function setTabVisible(page: Page, visible: boolean) {
  await page.evaluate((state) => {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
  }, visible ? 'visible' : 'hidden')
}

test('presence: who is here, once per person, and away when their tab is hidden', async ({ browser }) => {
  test.setTimeout(30_000 + LEAVE_GRACE_MS)
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bobName = uniqueName('bob')
  const bob = await signedInPage(browser, bobName)
  const bobInAlicesList = alice.getByTestId('presence-person').filter({ hasText: bobName })
  await expect(bobInAlicesList).toHaveAttribute('data-state', 'online')
  await setTabVisible(bob, false)
  await expect(bobInAlicesList).toHaveAttribute('data-state', 'away')
  await setTabVisible(bob, true)
  await expect(bobInAlicesList).toHaveAttribute('data-state', 'online')
  // Arrivals and departures show as quiet lines in the room.
  await expect(alice.getByTestId('room-notice').filter({ hasText: `${bobName} guest joined` })).toBeVisible()
  await bob.close()
  await expect(bobInAlicesList).toHaveCount(0)
  // A closed tab may be a reload: the room hears of it once the server's grace for coming back has passed.
  await expect(alice.getByTestId('room-notice').filter({ hasText: `${bobName} guest left` })).toBeVisible({ timeout: LEAVE_GRACE_MS + 10_000 })
})

test('typing: the others see "bob is typing…" until his message arrives; bob never sees his own', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bobName = uniqueName('bob')
  const bob = await signedInPage(browser, bobName)
  await composer(bob).pressSequentially('hello there')
  // A guest is marked as one wherever their name shows, the typing line too.
  await expect(alice.getByTestId('typing')).toHaveText(`${bobName} guest is typing…`)
  await expect(bob.getByTestId('typing')).toHaveText('')
  await composer(bob).press('Enter')
  await expect(alice.getByTestId('typing')).toHaveText('')
  await expect(alice.getByTestId('message-text').filter({ hasText: 'hello there' }).last()).toBeVisible()
})

test('unread: counts in the sidebar and the tab title, a "new messages" divider, cleared by reading', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('news')
  const post = (text: string) => bob.context().request.post(`/api/rooms/${room}/messages`, { data: { text, clientId: uniqueName('c') } })
  expect((await bob.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  await post('first news')
  await post('second news')

  const badge = alice.getByRole('link', { name: new RegExp(room) }).getByTestId('unread')
  await expect(badge).toHaveText('2')
  await expect(alice).toHaveTitle(/^\(2\) /)

  await alice.getByRole('link', { name: new RegExp(room) }).click()
  await expect(alice).toHaveURL(new RegExp(`/rooms/${room}$`))
  await expect(alice.getByTestId('message-text').filter({ hasText: 'second news' })).toBeVisible()
  await expect(alice).not.toHaveTitle(/^\(/)

  await alice.getByRole('link', { name: 'general', exact: true }).click()
  // Once general is on screen, news is no longer being read.
  await expect(composer(alice, 'general')).toBeVisible()
  await post('third news')
  await expect(badge).toHaveText('1')
  await alice.getByRole('link', { name: new RegExp(room) }).click()
  const divider = alice.getByTestId('new-messages')
  await expect(divider).toBeVisible()
  // The divider sits right before the first message alice had not read.
  await expect(alice.locator('[data-testid="new-messages"] + [data-testid="message"]')).toContainText('third news')
})

test('edit, delete and react, live for everyone', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const text = `draft ${uniqueName('m')}`
  await sendMessage(alice, text)
  const mine = alice.getByTestId('message').filter({ hasText: text })
  await mine.hover()
  await mine.getByRole('button', { name: 'Edit' }).click()
  const editor = alice.getByLabel('Edit message')
  await editor.fill(`${text} (final)`)
  await editor.press('Enter')
  const atBob = bob.getByTestId('message').filter({ hasText: `${text} (final)` })
  await expect(atBob.getByTestId('edited')).toBeVisible()

  await atBob.hover()
  await atBob.getByRole('button', { name: 'React with 👍' }).click()
  await expect(mine.getByTestId('reaction')).toHaveText('👍 1')
  // Only the author gets Edit and Delete.
  await atBob.hover()
  await expect(atBob.getByRole('button', { name: 'Edit' })).toHaveCount(0)

  await mine.hover()
  await mine.getByRole('button', { name: 'Delete' }).click()
  await mine.getByRole('button', { name: 'Yes, delete' }).click()
  await expect(bob.getByTestId('tombstone').last()).toHaveText('This message was deleted.')
  await expect(bob.getByTestId('message-text').filter({ hasText: text })).toHaveCount(0)
})

test('mentions: highlighted for the person named, and a browser notification when their page is hidden that opens the message', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bobName = uniqueName('bob')
  const bob = await signedInPage(browser, bobName)
  // Record notifications instead of showing them; permission is granted by the (stubbed) user's click.
  await bob.evaluate(() => {
    const shown: { title: string, onclick: (() => void) | null, close: () => void }[] = []
    ;(window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown
    const RecordingNotification = Object.assign(function (title: string) {
      const notification = { title, onclick: null, close: () => {} }
      shown.push(notification)
      return notification
    }, { permission: 'default', requestPermission: async () => (RecordingNotification.permission = 'granted') })
    ;(window as unknown as { Notification: unknown }).Notification = RecordingNotification
  })
  const titlesShown = () => bob.evaluate(() => (window as unknown as { shownNotifications: { title: string }[] }).shownNotifications.map(shown => shown.title))
  // Permission is asked on the user's click, never on load; once granted the offer goes away.
  await bob.getByRole('button', { name: 'Notify me of mentions' }).click()
  await expect(bob.getByRole('button', { name: 'Notify me of mentions' })).toHaveCount(0)

  await setTabVisible(bob, false)
  await sendMessage(alice, `look @${bobName}!`)
  await expect(bob.getByTestId('mention').last()).toHaveText(`@${bobName}`)
  await expect.poll(titlesShown).toEqual([expect.stringContaining('mentioned you in #general')])
  // The author sees no highlight of someone else's name as their own.
  await expect(alice.getByTestId('message').filter({ hasText: `look @${bobName}!` }).getByTestId('mention')).toHaveCount(0)

  // A click on the notification leads to the message, within the running app (a reload would drop the recorder).
  await bob.evaluate(() => (window as unknown as { shownNotifications: { onclick: () => void }[] }).shownNotifications[0]!.onclick())
  await expect(bob).toHaveURL(/\/rooms\/general\?at=\d+$/)
  await expect(bob.getByRole('log').getByTestId('message').filter({ hasText: `look @${bobName}!` })).toHaveAttribute('data-highlighted', 'true')
  expect(await titlesShown()).toHaveLength(1)
})

test('direct messages: two people talk privately; a third sees neither the conversation nor its messages', async ({ browser }) => {
  const aliceName = uniqueName('alice')
  const bobName = uniqueName('bob')
  const alice = await signedInPage(browser, aliceName)
  const bob = await signedInPage(browser, bobName)
  const eve = await signedInPage(browser, uniqueName('eve'))
  await alice.getByLabel('Message someone').fill(bobName)
  await alice.getByLabel('Message someone').press('Enter')
  await expect(alice).toHaveURL(/\/rooms\/dm-[0-9a-f]+$/)
  await expect(alice.getByRole('heading', { level: 1 })).toContainText(bobName)
  const dmPath = new URL(alice.url()).pathname

  // Bob's sidebar gains the conversation, named after alice.
  const bobsLink = bob.getByRole('link', { name: new RegExp(aliceName) })
  await expect(bobsLink).toBeVisible()
  await sendMessage(alice, 'just between us', { person: bobName })
  await expect(bobsLink.getByTestId('unread')).toHaveText('1')
  await bobsLink.click()
  await expect(bob.getByTestId('message-text').filter({ hasText: 'just between us' })).toBeVisible()

  await expect(eve.getByRole('link', { name: new RegExp(`${aliceName}|${bobName}`) })).toHaveCount(0)
  await eve.goto(dmPath)
  await expect(eve.getByTestId('room-not-found')).toBeVisible()
  await expect(eve.getByText('just between us')).toHaveCount(0)
  // Nothing on the page asks about a room she cannot see: only Search is offered.
  await expect(eve.getByTestId('search-open')).toBeVisible()
  await expect(eve.getByTestId('pins-toggle')).toHaveCount(0)
  await expect(eve.getByTestId('room-notifications')).toHaveCount(0)
  await expect(eve.locator('form.composer')).toHaveCount(0)
})
