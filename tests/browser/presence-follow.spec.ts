import { expect, test } from '@playwright/test'
import { expectConnected, expectNoCspViolationOrDialogAfterEach, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

test('"N here" lists who opened the room, not everyone who follows it for its unread count', async ({ browser }) => {
  const aliceName = uniqueName('alice')
  const alice = await signedInPage(browser, aliceName)
  const bobName = uniqueName('bob')
  const bob = await signedInPage(browser, bobName)
  const carolName = uniqueName('carol')
  const carol = await signedInPage(browser, carolName)
  const room = uniqueName('corner')
  expect((await carol.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  await carol.goto(`/rooms/${room}`)
  await expectConnected(carol)
  const people = carol.getByTestId('presence-person')
  await expect(people.filter({ hasText: carolName })).toHaveCount(1)

  // Alice and Bob follow the room (its messages reach them: the unread badge counts them) without opening it.
  const posted = await carol.context().request.post(`/api/rooms/${room}/messages`, { data: { text: 'anyone?', clientId: uniqueName('c') } })
  expect(posted.status()).toBe(201)
  await expect(alice.getByRole('link', { name: new RegExp(room) }).getByTestId('unread')).toHaveText('1')
  await expect(bob.getByRole('link', { name: new RegExp(room) }).getByTestId('unread')).toHaveText('1')
  await expect(people.filter({ hasText: aliceName })).toHaveCount(0)
  await expect(people.filter({ hasText: bobName })).toHaveCount(0)
  await expect(carol.getByTestId('presence').getByRole('heading')).toHaveText('1 here')

  // Bob opens it: now he is here; Alice, who never did, is still not.
  await bob.getByRole('link', { name: new RegExp(room) }).click()
  await expect(bob).toHaveURL(new RegExp(`/rooms/${room}$`))
  await expect(people.filter({ hasText: bobName })).toHaveCount(1)
  await expect(carol.getByTestId('presence').getByRole('heading')).toHaveText('2 here')
  await expect(people.filter({ hasText: aliceName })).toHaveCount(0)

  // Bob goes back to general: he steps back to following, and is no longer listed.
  await bob.getByRole('link', { name: 'general', exact: true }).click()
  await expect(people.filter({ hasText: bobName })).toHaveCount(0)
})
