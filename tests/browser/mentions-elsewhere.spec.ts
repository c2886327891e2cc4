import { expect, test } from '@playwright/test'
import { composer, expectNoCspViolationOrDialogAfterEach, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

test('a mention in another room, while the tab is visible: a toast that leads there, and an @ badge until it is read', async ({ browser }) => {
  const aliceName = uniqueName('alice')
  const alice = await signedInPage(browser, aliceName)
  const bobName = uniqueName('bob')
  const bob = await signedInPage(browser, bobName)
  const room = uniqueName('random')
  expect((await bob.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  const roomLink = alice.getByRole('link', { name: new RegExp(room) })
  await expect(roomLink).toBeVisible()

  const posted = await bob.context().request.post(`/api/rooms/${room}/messages`, { data: { text: `@${aliceName} have a look`, clientId: uniqueName('c') } })
  expect(posted.status()).toBe(201)

  // Alice stays in general, with her tab visible: the page itself tells her.
  const toast = alice.getByTestId('mention-toast')
  await expect(toast).toHaveText(new RegExp(`${bobName} guest mentioned you in #${room}`))
  await expect(alice.getByTestId('mention-toast-region')).toHaveAttribute('role', 'status')
  await expect(roomLink.getByTestId('mention-badge')).toHaveText('@1')
  await expect(roomLink.getByTestId('mention-badge')).toHaveAttribute('aria-label', '1 mention')

  await toast.getByRole('link').click()
  // To the message itself, as a search result: its place in the room, highlighted.
  await expect(alice).toHaveURL(new RegExp(`/rooms/${room}\\?at=1$`))
  await expect(alice.getByTestId('message-text').filter({ hasText: 'have a look' })).toBeVisible()
  await expect(toast).toHaveCount(0)

  // Read: back in general, the badge is gone.
  await alice.getByRole('link', { name: 'general', exact: true }).click()
  await expect(composer(alice, 'general')).toBeVisible()
  await expect(roomLink.getByTestId('mention-badge')).toHaveCount(0)
  await expect(roomLink.getByTestId('unread')).toHaveCount(0)
})

test('a mention\'s "@N" is still there after a reload, until the room is read', async ({ browser }) => {
  const aliceName = uniqueName('alice')
  const alice = await signedInPage(browser, aliceName)
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('later')
  expect((await bob.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  // Alice has read the room once (the server has her marker), and is back in general.
  const first = await bob.context().request.post(`/api/rooms/${room}/messages`, { data: { text: 'welcome', clientId: uniqueName('c') } })
  expect(first.status()).toBe(201)
  await alice.goto(`/rooms/${room}`)
  await expect(alice.getByTestId('message-text').filter({ hasText: 'welcome' })).toBeVisible()
  await expect.poll(async () => (await (await alice.context().request.get('/api/rooms')).json()).read[room]).toBe(1)
  await alice.getByRole('link', { name: 'general', exact: true }).click()
  await expect(composer(alice, 'general')).toBeVisible()

  const posted = await bob.context().request.post(`/api/rooms/${room}/messages`, { data: { text: `@${aliceName} when you are back`, clientId: uniqueName('c') } })
  expect(posted.status()).toBe(201)
  const badge = alice.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(room) }).getByTestId('mention-badge')
  await expect(badge).toHaveText('@1')
  await alice.reload()
  await expect(composer(alice, 'general')).toBeVisible()
  await expect(badge).toHaveText('@1')

  await alice.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(room) }).click()
  await expect(alice.getByTestId('message-text').filter({ hasText: 'when you are back' })).toBeVisible()
  await expect.poll(async () => (await (await alice.context().request.get('/api/rooms')).json()).read[room]).toBe(2)
  await alice.getByRole('link', { name: 'general', exact: true }).click()
  await expect(composer(alice, 'general')).toBeVisible()
  await expect(badge).toHaveCount(0)
  await alice.reload()
  await expect(composer(alice, 'general')).toBeVisible()
  await expect(alice.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(room) })).toBeVisible()
  await expect(badge).toHaveCount(0)
})

test('a mention in a reply sent to its thread only: the toast opens that thread beside its room', async ({ browser }) => {
  const aliceName = uniqueName('alice')
  const alice = await signedInPage(browser, aliceName)
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('threaded')
  expect((await bob.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  await expect(alice.getByRole('link', { name: new RegExp(room) })).toBeVisible()
  const post = async (data: Record<string, unknown>) => {
    const response = await bob.context().request.post(`/api/rooms/${room}/messages`, { data: { clientId: uniqueName('c'), ...data } })
    expect(response.status()).toBe(201)
    return (await response.json()) as { id: string }
  }
  const root = await post({ text: 'the plan for friday' })
  await post({ text: `@${aliceName} what do you think?`, threadId: root.id })

  const toast = alice.getByTestId('mention-toast')
  await expect(toast).toContainText(`#${room}`)
  const roomLink = alice.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(room) })
  const badge = roomLink.getByTestId('mention-badge')
  await expect(badge).toHaveText('@1')

  // Reading the room does not read the thread: the room's timeline never showed the mention.
  await roomLink.click()
  await expect(alice.getByTestId('thread-summary').getByTestId('thread-unread')).toHaveText('1 new')
  await alice.getByRole('link', { name: 'general', exact: true }).click()
  await expect(composer(alice, 'general')).toBeVisible()
  await expect(badge).toHaveText('@1')

  await toast.getByRole('link').click()
  await expect(alice).toHaveURL(new RegExp(`/rooms/${room}\\?thread=${root.id}$`))
  const panel = alice.getByTestId('thread-panel')
  await expect(panel.getByTestId('thread-root')).toContainText('the plan for friday')
  await expect(panel.getByTestId('thread-reply')).toHaveText([/what do you think\?/])

  // The thread read, the mention is too.
  await alice.getByRole('link', { name: 'general', exact: true }).click()
  await expect(composer(alice, 'general')).toBeVisible()
  await expect(badge).toHaveCount(0)
  await expect(toast).toHaveCount(0)
})

test('a mention in a reply sent to its thread only keeps its "@1" after the room is read and the page reloaded, until the thread is read', async ({ browser }) => {
  const aliceName = uniqueName('alice')
  const alice = await signedInPage(browser, aliceName)
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('threaded')
  expect((await bob.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  const post = async (data: Record<string, unknown>) => {
    const response = await bob.context().request.post(`/api/rooms/${room}/messages`, { data: { clientId: uniqueName('c'), ...data } })
    expect(response.status()).toBe(201)
    return (await response.json()) as { id: string, seq: number }
  }
  const root = await post({ text: 'the plan for friday' })
  await post({ text: `@${aliceName} what do you think?`, threadId: root.id })
  const later = await post({ text: 'meanwhile, in the room' })
  const roomLink = alice.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(room) })
  const badge = roomLink.getByTestId('mention-badge')
  await expect(badge).toHaveText('@1')

  // Alice reads the room past the reply; read markers go out in batches, so the reload waits for the server's.
  await roomLink.click()
  await expect(alice.getByTestId('message-text').filter({ hasText: 'meanwhile, in the room' })).toBeVisible()
  await expect.poll(async () => (await (await alice.context().request.get('/api/rooms')).json()).read[room]).toBe(later.seq)
  await alice.getByRole('link', { name: 'general', exact: true }).click()
  await expect(composer(alice, 'general')).toBeVisible()
  await alice.reload()
  await expect(composer(alice, 'general')).toBeVisible()
  await expect(badge).toHaveText('@1')

  await roomLink.click()
  await alice.getByTestId('thread-summary').click()
  await expect(alice.getByTestId('thread-panel').getByTestId('thread-reply')).toHaveText([/what do you think\?/])
  await alice.getByRole('link', { name: 'general', exact: true }).click()
  await expect(composer(alice, 'general')).toBeVisible()
  await expect(badge).toHaveCount(0)
  await expect.poll(async () => (await (await alice.context().request.get('/api/rooms')).json()).mentions).toEqual({})
})

test('a mention toast can be dismissed, and shows nothing for the room on screen', async ({ browser }) => {
  const aliceName = uniqueName('alice')
  const alice = await signedInPage(browser, aliceName)
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('random')
  expect((await bob.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  await expect(alice.getByRole('link', { name: new RegExp(room) })).toBeVisible()
  const post = (where: string, text: string) => bob.context().request.post(`/api/rooms/${where}/messages`, { data: { text, clientId: uniqueName('c') } })

  await post('general', `@${aliceName} right here`)
  await expect(alice.getByTestId('message-text').filter({ hasText: 'right here' })).toBeVisible()
  await post(room, `@${aliceName} over there`)
  const toast = alice.getByTestId('mention-toast')
  await expect(toast).toContainText(`#${room}`)
  await toast.getByRole('button', { name: 'Dismiss mention' }).click()
  await expect(toast).toHaveCount(0)
  // Dismissing the toast is not reading the room.
  await expect(alice.getByRole('link', { name: new RegExp(room) }).getByTestId('mention-badge')).toHaveText('@1')
})

test('a direct message sent while the page was closed counts as unread, with its "@1", and still does after a reload', async ({ browser }) => {
  const aliceName = uniqueName('alice')
  const firstVisit = await signedInPage(browser, aliceName)
  const aliceContext = firstVisit.context()
  await firstVisit.close()
  const bobName = uniqueName('bob')
  const bob = await signedInPage(browser, bobName)
  const opened = await bob.context().request.post('/api/dms', { data: { username: aliceName } })
  expect(opened.status()).toBe(201)
  const dm = (await opened.json()).room.name as string
  for (const text of ['are you around?', `@${aliceName} the numbers are in`]) {
    expect((await bob.context().request.post(`/api/rooms/${dm}/messages`, { data: { text, clientId: uniqueName('c') } })).status()).toBe(201)
  }

  const alice = await aliceContext.newPage()
  await alice.goto('/rooms/general')
  await expect(composer(alice, 'general')).toBeVisible()
  const link = alice.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: new RegExp(bobName) })
  for (const visit of ['first', 'after a reload']) {
    await expect(link.getByTestId('unread'), visit).toHaveText('2')
    await expect(link.getByTestId('mention-badge'), visit).toHaveText('@1')
    if (visit === 'first') await alice.reload()
  }
  await link.click()
  await expect(alice.getByTestId('message-text').filter({ hasText: 'the numbers are in' })).toBeVisible()
  await alice.getByRole('link', { name: 'general', exact: true }).click()
  await expect(composer(alice, 'general')).toBeVisible()
  await expect(link.getByTestId('unread')).toHaveCount(0)
  await expect(link.getByTestId('mention-badge')).toHaveCount(0)
})
