import { expect, test } from '@playwright/test'
import type { Page } from '@playwright/test'
import { expectConnected, expectNoCspViolationOrDialogAfterEach, messageTexts, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

async function openRoom(page: Page, room: string): Promise<void> {
  await page.goto(`/rooms/${room}`)
  await expectConnected(page)
}

async function post(page: Page, room: string, text: string, extras: Record<string, unknown> = {}) {
  const response = await page.context().request.post(`/api/rooms/${room}/messages`, { data: { text, clientId: uniqueName('c'), ...extras } })
  expect(response.status()).toBe(201)
  return response.json() as Promise<{ id: string }>
}

test('"New messages" marks what was unread when the room opened, never what arrives while reading it', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('divider')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  await openRoom(alice, room)
  await sendMessage(alice, 'read long ago', room)
  // Bob has read the room before: he opens it, reads it, and comes back to it later.
  await openRoom(bob, room)
  await expect(messageTexts(bob)).toHaveText(['read long ago'])
  await openRoom(bob, room)
  const divider = bob.getByTestId('new-messages')

  // Nothing was unread: what Alice posts while he watches at the bottom is read, with no divider.
  await sendMessage(alice, 'said while bob watches', room)
  await expect(messageTexts(bob)).toHaveText(['read long ago', 'said while bob watches'])
  await expect(divider).toHaveCount(0)

  // Away from the room, Alice posts; back in it, the divider sits above that message and stays there as more arrive.
  await bob.getByRole('link', { name: 'general', exact: true }).click()
  await expect(bob).toHaveURL(/\/rooms\/general$/)
  // He is away once the room hears it (he only follows it now): a message sent before would find him still there.
  await expect(alice.getByTestId('presence').getByRole('heading')).toHaveText('1 here')
  await post(alice, room, 'missed while away')
  await expect(bob.getByRole('link', { name: new RegExp(room) }).getByTestId('unread')).toHaveText('1')
  await bob.getByRole('link', { name: new RegExp(room) }).click()
  await expect(messageTexts(bob)).toHaveText(['read long ago', 'said while bob watches', 'missed while away'])
  await sendMessage(alice, 'said after bob came back', room)
  await expect(messageTexts(bob).last()).toHaveText('said after bob came back')
  await expect(divider).toHaveCount(1)
  await expect(bob.getByRole('log').locator('[data-testid="new-messages"] + [data-testid="message"]')).toContainText('missed while away')
})

test('a join line sits where it happened, inside a run of messages, and nobody is told of their own arrival', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bobName = uniqueName('bob')
  const bob = await signedInPage(browser, bobName)
  const room = uniqueName('busy')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  await openRoom(alice, room)
  await sendMessage(alice, 'before bob', room)
  await expect(messageTexts(alice)).toHaveText(['before bob'])

  await openRoom(bob, room)
  const lines = alice.getByRole('log').locator('[data-testid="message-text"], [data-testid="room-notice"]')
  await expect(lines).toHaveText(['before bob', new RegExp(`^${bobName} guest joined`)])
  // Alice goes on within minutes: her messages join her earlier run, but come after Bob's arrival.
  await sendMessage(alice, 'after bob one', room)
  await sendMessage(alice, 'after bob two', room)
  await expect(lines).toHaveText(['before bob', new RegExp(`^${bobName} guest joined`), 'after bob one', 'after bob two'])
  await expect(messageTexts(bob)).toHaveText(['before bob', 'after bob one', 'after bob two'])
  await expect(bob.getByTestId('room-notice')).toHaveCount(0)
})

test('a deleted thread root keeps its "N replies", which still opens the thread', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('orphans')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  const root = await post(alice, room, 'question to delete')
  await post(bob, room, 'first answer', { threadId: root.id })
  await post(bob, room, 'second answer', { threadId: root.id })
  expect((await alice.context().request.delete(`/api/rooms/${room}/messages/${root.id}`)).status()).toBeLessThan(300)

  await openRoom(bob, room)
  const tombstone = bob.getByRole('log').getByTestId('message').filter({ has: bob.getByTestId('tombstone') })
  await expect(tombstone.getByTestId('tombstone')).toHaveText('This message was deleted.')
  await expect(tombstone.getByTestId('thread-count')).toHaveText('2 replies')
  await tombstone.getByTestId('thread-summary').click()
  await expect(bob.getByTestId('thread-panel').getByTestId('thread-reply')).toHaveText([/first answer/, /second answer/])
})
