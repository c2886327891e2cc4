import { expect, test } from '@playwright/test'
import { composer, expectNoCspViolationOrDialogAfterEach, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

test('a direct message shows "Seen" once the other person reads it, and not after they stop sharing', async ({ browser }) => {
  const aliceName = uniqueName('alice')
  const alice = await signedInPage(browser, aliceName)
  const bobName = uniqueName('bob')
  const bob = await signedInPage(browser, bobName)
  const opened = await alice.context().request.post('/api/dms', { data: { username: bobName } })
  expect(opened.status()).toBe(201)
  const dm = (await opened.json()).room.name as string

  await alice.goto(`/rooms/${dm}`)
  await expect(composer(alice, { person: bobName })).toBeVisible()
  await bob.goto(`/rooms/${dm}`)
  await expect(composer(bob, { person: aliceName })).toBeVisible()

  // Bob has the conversation open: the message is read as it arrives, and Alice sees so at once.
  await sendMessage(alice, 'did you see this?', { person: bobName })
  await expect(bob.getByTestId('message-text').filter({ hasText: 'did you see this?' })).toBeVisible()
  await expect(alice.getByTestId('seen-by')).toHaveText('Seen')

  // Bob stops sharing in his account settings: Alice's next message stays unseen though he reads it.
  await bob.goto('/account')
  await bob.getByTestId('share-read-receipts').uncheck()
  await expect(bob.getByTestId('share-read-receipts')).not.toBeChecked()
  expect((await bob.context().request.get('/api/account/read-receipts')).ok()).toBe(true)
  await bob.goto(`/rooms/${dm}`)
  await expect(composer(bob, { person: aliceName })).toBeVisible()
  await sendMessage(alice, 'and this?', { person: bobName })
  await expect(bob.getByTestId('message-text').filter({ hasText: 'and this?' })).toBeVisible()
  // Once Bob's marker is stored, a receipt would already be on its way: Alice's page still shows none.
  await expect.poll(async () => {
    const list = await (await bob.context().request.get('/api/rooms')).json()
    return list.read[dm] === list.lastSeq[dm]
  }).toBe(true)
  await expect(alice.getByTestId('message-text').filter({ hasText: 'and this?' })).toBeVisible()
  await expect(alice.getByTestId('seen-by')).toHaveCount(0)
  expect(await (await alice.context().request.get(`/api/rooms/${dm}/receipts`)).json()).toEqual({ receipts: [] })
})
