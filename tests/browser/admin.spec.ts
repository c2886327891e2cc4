import { expect, test } from '@playwright/test'
import type { Browser, BrowserContext } from '@playwright/test'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { expectConnected, uniqueName } from './support'

/**
 * The admin page on a server of its own, whose first account is the owner (the browser tier's shared server
 * cannot promise that). Two browser contexts: the owner and someone they invite.
 */
let server: RunningServer
/** The owner's session cookie (name=value), registered first on the fresh server. */
let ownerCookie: string

test.beforeAll(async () => {
  server = await startServer()
  const username = uniqueName('owner')
  const response = await fetch(`${server.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: `pw-${username}-secret` }),
  })
  expect((await response.json()).role).toBe('owner')
  ownerCookie = response.headers.getSetCookie()[0]!.split(';')[0]!
})
test.beforeEach(async () => {
  const reset = await fetch(`${server.url}/api/workspace`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', 'cookie': ownerCookie },
    body: JSON.stringify({ guests: true, registration: 'open' }),
  })
  expect(reset.status).toBe(200)
})
test.afterAll(async () => {
  await server?.stop()
})

/** A browser context signed in as the owner. */
async function ownerContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: server.url })
  const [name, ...value] = ownerCookie.split('=')
  await context.addCookies([{ name: name!, value: value.join('='), url: server.url }])
  return context
}

/** A new browser context signed up with a password (through the API, from inside that context's cookie jar). */
async function registeredContext(browser: Browser, prefix: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: server.url })
  const username = uniqueName(prefix)
  const response = await context.request.post('/api/auth/register', { data: { username, password: `pw-${username}-secret` } })
  expect(response.status(), await response.text()).toBe(201)
  return context
}

test('the owner creates an invite, a newcomer registers with its link, and the owner bans them', async ({ browser }) => {
  const owner = await ownerContext(browser)
  const admin = await owner.newPage()
  // The owner finds the admin page from the rooms' sidebar.
  await admin.goto('/rooms/general')
  await admin.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: 'Workspace admin' }).click()
  await expect(admin).toHaveURL(/\/admin$/)
  await expect(admin.getByRole('heading', { name: 'Workspace admin' })).toBeVisible()

  // Invite-only, then a one-use link.
  await admin.getByLabel('Registration').selectOption('invite')
  await expect(admin.getByTestId('admin-audit-entry').first()).toContainText('registration: open → invite')
  await admin.getByLabel('Expires after').selectOption({ label: '1 day' })
  await admin.getByLabel('Uses').fill('1')
  await admin.getByRole('button', { name: 'Create invite link' }).click()
  const link = await admin.getByLabel(/New invite link/).inputValue()
  expect(link).toMatch(new RegExp(`^${server.url}/\\?invite=[A-Za-z0-9_-]{43}$`))
  await expect(admin.getByTestId('admin-invite').first().getByTestId('admin-invite-status')).toHaveText('Active')

  // Someone else opens the link in their own browser and registers with the token it carries.
  const newcomerContext = await browser.newContext({ baseURL: server.url })
  const newcomer = await newcomerContext.newPage()
  await newcomer.goto(link)
  const token = new URL(newcomer.url()).searchParams.get('invite')
  const username = uniqueName('newcomer')
  const registered = await newcomerContext.request.post('/api/auth/register', { data: { username, password: `pw-${username}-secret`, invite: token } })
  expect(registered.status(), await registered.text()).toBe(201)
  await newcomer.goto('/')
  await expect(newcomer).toHaveURL(/\/rooms\/general$/)
  await expectConnected(newcomer)
  // The link is used up: a third person cannot use it.
  const late = await browser.newContext({ baseURL: server.url })
  expect((await late.request.post('/api/auth/register', { data: { username: uniqueName('late'), password: 'long enough password', invite: token } })).status()).toBe(403)

  await admin.reload()
  await expect(admin.getByTestId('admin-invite').first().getByTestId('admin-invite-uses')).toHaveText('1 / 1')
  await expect(admin.getByTestId('admin-invite').first().getByTestId('admin-invite-status')).toHaveText('Used up')

  // The owner bans the newcomer: their open chat ends at once and they cannot come back.
  const row = admin.getByTestId(`admin-member-${username}`)
  await row.getByRole('button', { name: 'Ban' }).click()
  await expect(row.getByTestId('admin-member-standing')).toHaveText('Banned')
  // A session the server ends lands on the sign-in screen, which says so.
  await expect(newcomer.getByTestId('session-ended')).toHaveText('Your session ended. Sign in again.')
  await expect(admin.getByTestId('admin-audit-entry').first()).toContainText(`banned ${username} (@${username})`)
  const signIn = await late.request.post('/api/auth/login', { data: { username, password: `pw-${username}-secret` } })
  expect(signIn.status()).toBe(403)

  // Lifted, they may sign in again.
  await row.getByRole('button', { name: 'Lift' }).click()
  await expect(row.getByTestId('admin-member-standing')).toHaveText('Active')
  expect((await late.request.post('/api/auth/login', { data: { username, password: `pw-${username}-secret` } })).status()).toBe(200)

  await Promise.all([owner.close(), newcomerContext.close(), late.close()])
})

test('a member who opens the admin page sees no tools, and every admin call is refused', async ({ browser }) => {
  const context = await registeredContext(browser, 'member')
  const page = await context.newPage()
  await page.goto('/rooms/general')
  await expectConnected(page)
  await expect(page.getByRole('link', { name: 'Workspace admin' })).toHaveCount(0)
  await page.goto('/admin')
  await expect(page.getByRole('alert')).toHaveText('Only the workspace\'s admins and its owner can see this page.')
  await expect(page.getByRole('heading', { name: 'Members' })).toHaveCount(0)
  expect((await context.request.get('/api/workspace/members')).status()).toBe(403)
  await context.close()
})

test('the owner revokes an invite, and turning guests off ends a guest\'s chat', async ({ browser }) => {
  const guestContext = await browser.newContext({ baseURL: server.url })
  const guest = await guestContext.newPage()
  await guest.goto('/')
  await guest.getByLabel('Your name').fill(uniqueName('guest'))
  await guest.getByRole('button', { name: 'Join as a guest' }).click()
  await expect(guest).toHaveURL(/\/rooms\/general$/)
  await expectConnected(guest)

  const owner = await ownerContext(browser)
  const admin = await owner.newPage()
  await admin.goto('/admin')
  await admin.getByRole('button', { name: 'Create invite link' }).click()
  const token = new URL(await admin.getByLabel(/New invite link/).inputValue()).searchParams.get('invite')
  const newest = admin.getByTestId('admin-invite').first()
  await newest.getByRole('button', { name: 'Revoke' }).click()
  await expect(newest.getByTestId('admin-invite-status')).toHaveText('Revoked')
  await admin.getByLabel('Registration').selectOption('invite')
  const refused = await guestContext.request.post('/api/auth/register', { data: { username: uniqueName('late'), password: 'long enough password', invite: token } })
  expect(refused.status()).toBe(403)

  await admin.getByLabel(/Guests may join/).uncheck()
  await expect(guest.getByTestId('session-ended')).toHaveText('Your session ended. Sign in again.')
  await expect(admin.getByTestId('admin-audit-entry').first()).toContainText('guests: true → false')
  await admin.getByLabel(/Guests may join/).check()
  await Promise.all([owner.close(), guestContext.close()])
})
