import { expect, test } from '@playwright/test'
import type { Browser, Page, WebSocket } from '@playwright/test'
import { composer, expectConnected, expectNoCspViolationOrDialogAfterEach, freshPage, messageTexts, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

const PASSWORD = 'correct horse battery staple'

/** Creates an account through the sign-up form of a fresh browser context, and lands in #general. */
async function signUp(browser: Browser, username: string, displayName: string): Promise<Page> {
  const page = await freshPage(browser)
  await page.goto('/')
  await page.getByRole('tab', { name: 'Create account' }).click()
  // The password form, not the passkey sign-up beside it.
  const form = page.getByTestId('sign-up-form')
  await form.getByLabel('Username').fill(username)
  await form.getByLabel('Display name').fill(displayName)
  await form.getByLabel('Password').fill(PASSWORD)
  await form.getByRole('button', { name: 'Create account' }).click()
  await expect(page).toHaveURL(/\/rooms\/general$/)
  await expectConnected(page)
  return page
}

/** Signs in with a username and password on the sign-in screen the page is on. */
async function signInWithPassword(page: Page, username: string, password: string): Promise<void> {
  await page.getByRole('tab', { name: 'Sign in' }).click()
  // The password form, not "Sign in with a passkey" beside it.
  const form = page.getByTestId('password-sign-in-form')
  await form.getByLabel('Username').fill(username)
  await form.getByLabel('Password').fill(password)
  await form.getByRole('button', { name: 'Sign in' }).click()
}

/** Every WebSocket the page opens from now on. */
function socketsOf(page: Page): WebSocket[] {
  const sockets: WebSocket[] = []
  page.on('websocket', socket => sockets.push(socket))
  return sockets
}

test('an account with a password: sign up, see one\'s role, sign out, a wrong password refused in the server\'s words, sign in again', async ({ browser }) => {
  const username = uniqueName('ada')
  const page = await signUp(browser, username, 'Ada Lovelace')
  const me = page.getByTestId('current-user')
  await expect(me).toHaveText('Ada Lovelace')
  await expect(me).toHaveAccessibleName(`Your account: Ada Lovelace (@${username})`)
  await expect(me.getByTestId('guest-badge')).toHaveCount(0)

  await me.click()
  await expect(page).toHaveURL(/\/account$/)
  // The tier shares one server: whichever spec creates its first account makes the owner.
  await expect(page.getByTestId('account-role')).toHaveText(/^(Workspace owner|Member)$/)
  await page.getByRole('button', { name: 'Sign out of this device' }).click()
  await expect(page).toHaveURL(/\/$/)

  await signInWithPassword(page, username, 'not the password')
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.')
  await expect(page).toHaveURL(/\/$/)

  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page).toHaveURL(/\/rooms\/general$/)
  await expectConnected(page)
  await expect(page.getByTestId('current-user')).toHaveAccessibleName(`Your account: Ada Lovelace (@${username})`)
})

test('an unsent draft is back after a reload, and this browser keeps none of it once its author signs out', async ({ browser }) => {
  const username = uniqueName('drafter')
  const page = await signUp(browser, username, 'Drafter')
  const keptDrafts = () => page.evaluate(() => Object.keys(localStorage).filter(key => key.startsWith('banter:drafts:')))
  await composer(page).fill('half a thought, not sent')
  await page.reload()
  await expectConnected(page)
  await expect(composer(page)).toHaveValue('half a thought, not sent')

  await page.getByTestId('current-user').click()
  await page.getByRole('button', { name: 'Sign out of this device' }).click()
  await expect(page).toHaveURL(/\/$/)
  await expect.poll(keptDrafts).toEqual([])
  await signInWithPassword(page, username, PASSWORD)
  await expect(page).toHaveURL(/\/rooms\/general$/)
  await expectConnected(page)
  await expect(composer(page)).toHaveValue('')
})

test('a rename: messages sent afterwards show the new name and username, to the author and to others', async ({ browser }) => {
  const username = uniqueName('grace')
  const grace = await signUp(browser, username, 'Grace')
  const bob = await signedInPage(browser, uniqueName('bob'))
  const before = `before ${uniqueName('m')}`
  await sendMessage(grace, before)
  await expect(messageTexts(bob).filter({ hasText: before })).toBeVisible()

  await grace.getByTestId('current-user').click()
  await grace.getByLabel('Display name').fill('Rear Admiral Hopper')
  await grace.getByLabel('Username').fill(`${username}-h`)
  await grace.getByRole('button', { name: 'Save names' }).click()
  await expect(grace.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible()
  await grace.getByRole('link', { name: /Back to the rooms/ }).click()
  await expectConnected(grace)
  await expect(grace.getByTestId('current-user')).toContainText('Rear Admiral Hopper')

  const after = `after ${uniqueName('m')}`
  await sendMessage(grace, after)
  for (const page of [grace, bob]) {
    const header = page.locator('.message-group').filter({ has: page.getByText(after) }).locator('.message-group-header')
    await expect(header.getByTestId('user-name')).toContainText('Rear Admiral Hopper')
    await expect(header.getByTestId('user-handle')).toHaveText(`@${username}-h`)
  }
})

test('sessions: this device is marked; ending one signs that browser out, and "sign out everywhere" ends the others too', async ({ browser }) => {
  const username = uniqueName('linus')
  const first = await signUp(browser, username, 'Linus')
  const second = await freshPage(browser)
  const third = await freshPage(browser)
  const secondSockets = socketsOf(second)
  const thirdSockets = socketsOf(third)
  for (const page of [second, third]) {
    await page.goto('/')
    await signInWithPassword(page, username, PASSWORD)
    await expect(page).toHaveURL(/\/rooms\/general$/)
    await expectConnected(page)
  }

  await first.getByTestId('current-user').click()
  const sessions = first.getByTestId('account-session')
  await expect(sessions).toHaveCount(3)
  await expect(sessions.filter({ hasText: 'This device' })).toHaveCount(1)
  await expect(first.locator('[data-testid="account-session"][data-current="true"]')).toContainText('This device')

  // The newest session is the third browser's: sessions come newest first.
  await sessions.nth(0).getByRole('button', { name: /End the session/ }).click()
  await expect(sessions).toHaveCount(2)
  await expect.poll(() => thirdSockets.length > 0 && thirdSockets.every(socket => socket.isClosed())).toBe(true)
  await expect(third).toHaveURL(/\/\?session=ended$/)
  await expect(third.getByTestId('session-ended')).toBeVisible()
  await expect(second.getByTestId('connection-status')).toBeHidden()

  await first.getByRole('button', { name: 'Sign out everywhere' }).click()
  await expect(first).toHaveURL(/\/$/)
  await expect.poll(() => secondSockets.length > 0 && secondSockets.every(socket => socket.isClosed())).toBe(true)
  await expect(second).toHaveURL(/\/\?session=ended$/)
  await expect(second.getByRole('tab', { name: 'Sign in' })).toBeVisible()
  // Signed out for real: a reload stays on the sign-in screen.
  await second.reload()
  await expect(second.getByRole('tab', { name: 'Sign in' })).toBeVisible()
})

test('a deleted account: its messages stay, shown as written by "Deleted user"', async ({ browser }) => {
  const username = uniqueName('kim')
  const kim = await signUp(browser, username, 'Kim')
  const bob = await signedInPage(browser, uniqueName('bob'))
  const text = `stays ${uniqueName('m')}`
  await sendMessage(kim, text)
  await expect(messageTexts(bob).filter({ hasText: text })).toBeVisible()

  await kim.getByTestId('current-user').click()
  await expect(kim.getByTestId('account-delete')).toContainText('Deleted user')
  await kim.getByRole('button', { name: 'Delete my account…' }).click()
  await kim.getByLabel('Your password, to confirm').fill(PASSWORD)
  await kim.getByRole('button', { name: 'Delete my account', exact: true }).click()
  await expect(kim).toHaveURL(/\/$/)

  await bob.reload()
  const header = bob.locator('.message-group').filter({ has: bob.getByText(text) }).locator('.message-group-header')
  await expect(header.getByTestId('user-name')).toHaveText('Deleted user')
  await expect(header.locator('.user-name-deleted')).toHaveCount(1)
  await expect(header).not.toContainText(username)
})
