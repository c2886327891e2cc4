import { expect, test } from '@playwright/test'
import { composer, expectConnected, expectNoCspViolationOrDialogAfterEach, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

test('a direct message is named after the other person everywhere on its page, never by its room id', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  await expect(alice.getByRole('navigation', { name: 'Rooms' })).toContainText('No conversations yet.')
  const bobName = uniqueName('bob')
  await signedInPage(browser, bobName)
  const opened = await alice.context().request.post('/api/dms', { data: { username: bobName } })
  expect(opened.status()).toBe(201)
  const dm = (await opened.json()).room.name as string

  await alice.goto(`/rooms/${dm}`)
  await expectConnected(alice)
  // Bob's display name and username are the same word: the header says it once (then the guest badge).
  await expect.soft(alice.getByRole('heading', { level: 1 })).toHaveText(`@${bobName} guest`)
  await expect.soft(alice.getByTestId('empty-room')).toHaveText(`No messages with ${bobName} yet. Say hello!`)
  await expect(composer(alice, { person: bobName })).toHaveAttribute('placeholder', `Message ${bobName}`)

  await sendMessage(alice, 'lunch?', { person: bobName })
  await expect.soft(alice.getByTestId('history-start')).toHaveText(`This is the beginning of your conversation with ${bobName}`)
  const message = alice.getByRole('log').getByTestId('message').filter({ hasText: 'lunch?' })
  await message.hover()
  await message.getByRole('button', { name: 'Reply in thread', exact: true }).click()
  await expect(alice.getByTestId('thread-panel').getByText('Also send to the conversation')).toBeVisible()

  // The sidebar lists it under Direct messages, apart from the rooms.
  await expect(alice.getByRole('navigation', { name: 'Rooms' })).not.toContainText('No conversations yet.')
  await expect(alice.getByRole('list', { name: 'Direct messages' }).getByRole('link')).toHaveText([new RegExp(bobName)])
  await expect(alice.getByRole('list', { name: 'Rooms' }).getByRole('link', { name: new RegExp(bobName) })).toHaveCount(0)
  await expect(alice.getByRole('list', { name: 'Rooms' }).getByRole('link', { name: /general/ })).toBeVisible()

  await expect(alice.locator('body')).not.toContainText(dm)
})
