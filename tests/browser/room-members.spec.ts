import { expect, test } from '@playwright/test'
import type { Page } from '@playwright/test'
import { expectNoCspViolationOrDialogAfterEach, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

test('the owner of a private room adds a member and removes them; the removed member\'s page drops the room', async ({ browser }) => {
  const ownerName = uniqueName('owner')
  const bobName = uniqueName('bob')
  const owner = await signedInPage(browser, ownerName)
  const bob = await signedInPage(browser, bobName)
  const room = uniqueName('hideout')
  expect((await owner.context().request.post('/api/rooms', { data: { name: room, private: true } })).status()).toBe(201)
  await owner.goto(`/rooms/${room}`)

  const panel = owner.getByTestId('room-members')
  await panel.getByText(/^Members/).click()
  await expect(panel.getByTestId('room-member')).toHaveCount(1)
  await panel.getByLabel('Add a member by username').fill(bobName)
  await panel.getByRole('button', { name: 'Add member' }).click()
  await expect(panel.getByTestId('room-member')).toHaveCount(2)

  // Bob's sidebar learns of the room live, and he can open it.
  const bobsLink = bob.getByRole('link', { name: new RegExp(room) })
  await expect(bobsLink).toBeVisible()
  await bobsLink.click()
  await expect(bob).toHaveURL(new RegExp(`/rooms/${room}$`))
  await sendMessage(owner, 'welcome in', room)
  await expect(bob.getByTestId('message-text').filter({ hasText: 'welcome in' })).toBeVisible()

  await panel.getByRole('button', { name: `Remove ${bobName} (@${bobName}) from the room` }).click()
  await expect(panel.getByTestId('room-member')).toHaveCount(1)
  // Bob's page leaves the room for general, says why, and the room is gone from his sidebar.
  await expect(bob).toHaveURL(/\/rooms\/general$/)
  await expect(bob.getByRole('status').filter({ hasText: 'no longer a member' })).toHaveText(new RegExp(`You are no longer a member of #${room}\\.`))
  await expect(bob.getByRole('link', { name: new RegExp(room) })).toHaveCount(0)
  await bob.getByRole('button', { name: 'Dismiss notice' }).click()
  await expect(bob.getByTestId('removed-from-room')).toHaveCount(0)
})

test('the notice of a removal ends when its page is left', async ({ browser }) => {
  const owner = await signedInPage(browser, uniqueName('owner'))
  const bobName = uniqueName('bob')
  const bob = await signedInPage(browser, bobName)
  const room = uniqueName('hideout')
  const other = uniqueName('lobby')
  for (const [name, isPrivate] of [[room, true], [other, false]] as const) {
    expect((await owner.context().request.post('/api/rooms', { data: { name, private: isPrivate } })).status()).toBe(201)
  }
  expect((await owner.context().request.post(`/api/rooms/${room}/members`, { data: { username: bobName } })).ok()).toBe(true)
  await bob.goto(`/rooms/${room}`)
  await expect(bob.getByTestId('room-not-found')).toHaveCount(0)
  expect((await owner.context().request.delete(`/api/rooms/${room}/members/${await bobId(bob)}`)).status()).toBe(204)
  await expect(bob).toHaveURL(/\/rooms\/general$/)
  await expect(bob.getByTestId('removed-from-room')).toBeVisible()
  await bob.getByRole('link', { name: new RegExp(other) }).click()
  await expect(bob).toHaveURL(new RegExp(`/rooms/${other}$`))
  await bob.getByRole('link', { name: /general/ }).click()
  await expect(bob).toHaveURL(/\/rooms\/general$/)
  await expect(bob.getByTestId('removed-from-room')).toHaveCount(0)
})

/** The signed-in user's id, as the session answers it. */
async function bobId(page: Page): Promise<string> {
  return ((await (await page.context().request.get('/api/session')).json()) as { user: { id: string } }).user.id
}

test('the owner sets a topic that others see live, and deletes someone\'s message as a moderator', async ({ browser }) => {
  const owner = await signedInPage(browser, uniqueName('owner'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('plaza')
  expect((await owner.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  await owner.goto(`/rooms/${room}`)
  await bob.goto(`/rooms/${room}`)

  await owner.getByRole('button', { name: 'Room settings' }).click()
  await owner.getByLabel('Topic').fill('Plans for Friday')
  await owner.getByRole('button', { name: 'Save' }).click()
  await expect(bob.getByTestId('room-topic')).toHaveText('Plans for Friday')
  // Bob does not moderate this room.
  await expect(bob.getByRole('button', { name: 'Room settings' })).toHaveCount(0)

  await sendMessage(bob, 'buy cheap watches', room)
  const spam = owner.getByTestId('message').filter({ hasText: 'buy cheap watches' })
  await spam.hover()
  await spam.getByRole('button', { name: 'Delete message as moderator' }).click()
  await spam.getByRole('button', { name: 'Yes, delete' }).click()
  await expect(bob.getByTestId('tombstone')).toHaveText('This message was removed by a moderator.')
})
