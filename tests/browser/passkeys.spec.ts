import { expect, test } from '@playwright/test'
import type { Page } from '@playwright/test'
import { cspViolations, dialogs, expectConnected, expectNoCspViolationOrDialogAfterEach, uniqueName } from './support'
import { addVirtualAuthenticator } from './support-passkeys'

expectNoCspViolationOrDialogAfterEach()

/** A page in a fresh context (its own cookies), watched for CSP violations and dialogs like the other specs' pages. */
async function freshPage(browser: import('@playwright/test').Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage()
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text())
  })
  return page
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click()
  await expect(page).toHaveURL(/\/$/)
}

/** The sign-in screen's passkey sign-up, beside the password one on the "Create account" tab. */
async function signUpWithPasskey(page: Page, username: string, displayName?: string): Promise<void> {
  await page.goto('/')
  await page.getByRole('tab', { name: 'Create account' }).click()
  const signUp = page.getByRole('form', { name: 'Sign up with a passkey' })
  await signUp.getByLabel('Username').fill(username)
  if (displayName) await signUp.getByLabel('Display name').fill(displayName)
  await signUp.getByRole('button', { name: 'Sign up with a passkey' }).click()
  await expect(page).toHaveURL(/\/rooms\/general$/)
}

test('signs up with a passkey only, signs out, signs back in with it, and manages the account\'s passkeys', async ({ browser }) => {
  const page = await freshPage(browser)
  const laptop = await addVirtualAuthenticator(page)
  const username = uniqueName('pia')

  // Sign up: a username, a display name and the authenticator; no password anywhere.
  await signUpWithPasskey(page, username, 'Pia Passkey')
  await expectConnected(page)
  await expect(page.getByTestId('current-user')).toHaveText('Pia Passkey')
  const [credential] = await laptop.credentials()
  expect(credential).toMatchObject({ isResidentCredential: true, rpId: 'localhost' })

  // Signed out, a discoverable passkey signs the same account in without typing anything.
  await signOut(page)
  await page.getByRole('tab', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await expect(page).toHaveURL(/\/rooms\/general$/)
  await expect(page.getByTestId('current-user')).toHaveText('Pia Passkey')
  expect((await laptop.credentials())[0]!.signCount).toBeGreaterThan(credential!.signCount)

  // A second passkey from another device, on the account page: the laptop is put away, a phone takes its place.
  await page.getByTestId('current-user').click()
  await expect(page).toHaveURL(/\/account$/)
  const passkeys = page.getByTestId('passkeys-place').getByTestId('passkey')
  await expect(passkeys).toHaveCount(1)
  await laptop.remove()
  const phone = await addVirtualAuthenticator(page)
  await page.getByRole('button', { name: 'Add a passkey' }).click()
  await expect(passkeys).toHaveCount(2)
  expect(await phone.credentials()).toHaveLength(1)

  // Remove the laptop's (the older one); the phone's is then the only way in, and is kept.
  await passkeys.first().getByRole('button', { name: /^Remove passkey/ }).click()
  await expect(passkeys).toHaveCount(1)
  await passkeys.first().getByRole('button', { name: /^Remove passkey/ }).click()
  await expect(page.getByRole('alert')).toContainText('only way to sign in')
  await expect(passkeys).toHaveCount(1)

  // The phone's passkey still signs in, this time asked for by the username typed in the sign-in form.
  await page.getByRole('link', { name: 'Back to the rooms' }).click()
  await expect(page).toHaveURL(/\/rooms\/general$/)
  await signOut(page)
  await page.getByRole('tab', { name: 'Sign in' }).click()
  await page.getByTestId('password-sign-in-form').getByLabel('Username').fill(username)
  const askedByName = page.waitForRequest(request => request.url().endsWith('/api/auth/webauthn/authenticate')
    && request.postDataJSON()?.userName === username)
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await askedByName
  await expect(page).toHaveURL(/\/rooms\/general$/)
  await expect(page.getByTestId('current-user')).toHaveText('Pia Passkey')
  await page.context().close()
})

test('refuses a passkey sign-in when the device does not verify the user', async ({ browser }) => {
  const page = await freshPage(browser)
  const authenticator = await addVirtualAuthenticator(page)
  await signUpWithPasskey(page, uniqueName('uv'))
  await signOut(page)

  // The authenticator now reports "user present, not verified": a passkey alone is then not enough.
  await authenticator.setUserVerified(false)
  await page.getByRole('tab', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await expect(page.getByRole('alert')).toBeVisible()
  await expect(page).toHaveURL(/\/$/)
  await expect(page.getByTestId('password-sign-in-form')).toBeVisible()
  await page.context().close()
})
