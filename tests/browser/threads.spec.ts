import sharp from 'sharp'
import { expect, test } from '@playwright/test'
import { composer, dropFiles, expectConnected, expectNoCspViolationOrDialogAfterEach, sendMessage, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

test('a thread between two people: one opens it and replies, the other sees the count and the reply live, and answers to the room too', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('threads')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  for (const page of [alice, bob]) {
    await page.goto(`/rooms/${room}`)
    await expectConnected(page)
  }
  const question = `who reviews ${uniqueName('pr')}?`
  await sendMessage(bob, question, room)

  // Alice opens the thread under Bob's message and replies there.
  const rootAtAlice = alice.getByRole('log').getByTestId('message').filter({ hasText: question })
  await rootAtAlice.hover()
  await rootAtAlice.getByRole('button', { name: 'Reply in thread', exact: true }).click()
  const aliceThread = alice.getByTestId('thread-panel')
  await expect(aliceThread.getByTestId('thread-root')).toContainText(question)
  await aliceThread.getByTestId('thread-input').fill('I will take it')
  await aliceThread.getByTestId('thread-input').press('Enter')
  await expect(aliceThread.getByTestId('thread-reply')).toContainText('I will take it')

  // Bob, who started the thread, sees its count and an unread reply under his message, and not the reply in the room.
  const rootAtBob = bob.getByRole('log').getByTestId('message').filter({ hasText: question })
  await expect(rootAtBob.getByTestId('thread-count')).toHaveText('1 reply')
  await expect(rootAtBob.getByTestId('thread-unread')).toHaveText('1 new')
  await expect(bob.getByRole('log').getByText('I will take it')).toHaveCount(0)
  await rootAtBob.getByTestId('thread-summary').click()
  const bobThread = bob.getByTestId('thread-panel')
  await expect(bobThread.getByTestId('thread-reply')).toContainText('I will take it')
  await expect(rootAtBob.getByTestId('thread-unread')).toHaveCount(0)

  // Bob answers in the thread and to the room: Alice sees it live in both, marked as a thread reply in the room.
  await bobThread.getByTestId('thread-also-to-room').check()
  await bobThread.getByTestId('thread-input').fill('thanks, merged after you')
  await bobThread.getByTestId('thread-input').press('Enter')
  await expect(aliceThread.getByTestId('thread-reply').filter({ hasText: 'thanks, merged after you' })).toBeVisible()
  const inAliceRoom = alice.getByRole('log').getByTestId('message').filter({ hasText: 'thanks, merged after you' })
  await expect(inAliceRoom.getByTestId('replied-to-thread')).toBeVisible()
  await expect(rootAtAlice.getByTestId('thread-count')).toHaveText('2 replies')
})

test('a thread\'s "N new" is kept on the server: it is there after a reload and in another tab, and goes everywhere once read', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('followed')
  expect((await bob.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  const question = `who deploys ${uniqueName('release')}?`
  const root = await (await bob.context().request.post(`/api/rooms/${room}/messages`, { data: { text: question, clientId: uniqueName('c') } })).json()
  const reply = await alice.context().request.post(`/api/rooms/${room}/messages`, { data: { text: 'I can, after lunch', clientId: uniqueName('c'), threadId: root.id } })
  expect(reply.status()).toBe(201)

  // Bob was not there when Alice replied: the count comes from the server, and again after a reload.
  await bob.goto(`/rooms/${room}`)
  await expectConnected(bob)
  const rootAtBob = bob.getByRole('log').getByTestId('message').filter({ hasText: question })
  await expect(rootAtBob.getByTestId('thread-unread')).toHaveText('1 new')
  await bob.reload()
  await expectConnected(bob)
  await expect(rootAtBob.getByTestId('thread-unread')).toHaveText('1 new')

  // His second tab shows it too, and loses it as soon as the first tab reads the thread.
  const secondTab = await bob.context().newPage()
  await secondTab.goto(`/rooms/${room}`)
  await expectConnected(secondTab)
  const rootInSecondTab = secondTab.getByRole('log').getByTestId('message').filter({ hasText: question })
  await expect(rootInSecondTab.getByTestId('thread-unread')).toHaveText('1 new')
  await bob.bringToFront()
  await rootAtBob.getByTestId('thread-summary').click()
  await expect(bob.getByTestId('thread-panel').getByTestId('thread-reply')).toContainText('I can, after lunch')
  await expect(rootInSecondTab.getByTestId('thread-unread')).toHaveCount(0)
  await bob.reload()
  await expectConnected(bob)
  await expect(rootAtBob.getByTestId('thread-count')).toHaveText('1 reply')
  await expect(rootAtBob.getByTestId('thread-unread')).toHaveCount(0)
})

test('the Threads page lists followed threads of every room, new replies first, and leads into each', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const post = async (page: typeof bob, room: string, data: Record<string, unknown>) => {
    const response = await page.context().request.post(`/api/rooms/${room}/messages`, { data: { clientId: uniqueName('c'), ...data } })
    expect(response.status()).toBe(201)
    return (await response.json()) as { id: string }
  }
  const [venueRoom, lunchRoom] = [uniqueName('venues'), uniqueName('lunches')]
  for (const room of [venueRoom, lunchRoom]) expect((await bob.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  const question = `who books ${uniqueName('venue')}?`
  const root = await post(bob, venueRoom, { text: question })
  await post(alice, venueRoom, { text: 'I will call them', threadId: root.id })
  // A newer thread, with nothing new for Bob (the reply is his own): it comes second.
  const lunch = `lunch at ${uniqueName('noon')}?`
  await post(bob, lunchRoom, { text: lunch, threadId: (await post(bob, lunchRoom, { text: lunch })).id })

  // Bob is in general; the sidebar counts the thread with news, and leads to his threads.
  const threadsLink = bob.getByRole('navigation', { name: 'Rooms' }).getByRole('link', { name: /^Threads/ })
  await expect(threadsLink.getByTestId('threads-unread')).toHaveText('1')
  await threadsLink.click()
  await expect(bob).toHaveURL(/\/threads$/)
  const items = bob.getByTestId('followed-thread')
  await expect(items).toHaveText([new RegExp(`#${venueRoom}.*1 new.*${question.replace('?', '\\?')}.*1 reply`), new RegExp(`#${lunchRoom}.*${lunch.replace('?', '\\?')}`)])
  await expect(items.nth(1).getByTestId('followed-thread-unread')).toHaveCount(0)

  // A second tab on the list loses "1 new" the moment the first reads the thread: the server has the read.
  const secondTab = await bob.context().newPage()
  await secondTab.goto('/threads')
  const itemThere = secondTab.getByTestId('followed-thread').filter({ hasText: question })
  await expect(itemThere.getByTestId('followed-thread-unread')).toHaveText('1 new')
  await bob.bringToFront()
  await items.first().click()
  await expect(bob).toHaveURL(new RegExp(`/rooms/${venueRoom}\\?thread=${root.id}$`))
  await expect(bob.getByTestId('thread-panel').getByTestId('thread-reply')).toContainText('I will call them')
  await expect(itemThere.getByTestId('followed-thread-unread')).toHaveCount(0)
  await expect(threadsLink.getByTestId('threads-unread')).toHaveCount(0)
  await secondTab.reload()
  await expect(itemThere).toBeVisible()
  await expect(itemThere.getByTestId('followed-thread-unread')).toHaveCount(0)

  // Alice follows the first as its replier, with nothing new: her own reply is not news to her.
  await alice.goto('/threads')
  await expect(alice.getByTestId('followed-thread')).toHaveText([new RegExp(question.replace('?', '\\?'))])
  await expect(alice.getByTestId('followed-thread-unread')).toHaveCount(0)
})

test('a reply quotes the original as text, and the quote leads to it', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('quotes')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  for (const page of [alice, bob]) {
    await page.goto(`/rooms/${room}`)
    await expectConnected(page)
  }
  const original = `lunch at <b>noon</b> ${uniqueName('q')}?`
  await sendMessage(bob, original, room)
  const atAlice = alice.getByRole('log').getByTestId('message').filter({ hasText: original })
  await atAlice.hover()
  await atAlice.getByRole('button', { name: 'Reply to message', exact: true }).click()
  await expect(alice.getByTestId('replying-to')).toContainText(original)
  await sendMessage(alice, 'count me in', room)

  const reply = bob.getByRole('log').getByTestId('message').filter({ hasText: 'count me in' })
  const quote = reply.getByTestId('reply-quote')
  // As text: the markup shows as typed, nothing of it is rendered.
  await expect(quote).toContainText(original)
  await expect(quote.locator('b')).toHaveCount(0)
  await quote.click()
  await expect(bob).toHaveURL(/\?at=\d+$/)
  await expect(bob.getByRole('log').getByTestId('message').filter({ hasText: original }).first()).toHaveAttribute('data-highlighted', 'true')
})

test('files attached to thread replies reach the other person in the thread, and in the room only when sent there too', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('thread-files')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  for (const page of [alice, bob]) {
    await page.goto(`/rooms/${room}`)
    await expectConnected(page)
  }
  const question = `the spec for ${uniqueName('feature')}?`
  await sendMessage(bob, question, room)

  // Both have the thread open, so replies reach Bob's panel live.
  const openThread = async (page: typeof alice) => {
    const root = page.getByRole('log').getByTestId('message').filter({ hasText: question })
    await root.hover()
    await root.getByRole('button', { name: 'Reply in thread', exact: true }).click()
    const panel = page.getByTestId('thread-panel')
    await expect(panel.getByTestId('thread-root')).toContainText(question)
    return panel
  }
  const bobThread = await openThread(bob)
  const aliceThread = await openThread(alice)

  // A file picked with the thread's Attach button goes with the reply's text, into the thread only.
  await aliceThread.getByTestId('attach-input').setInputFiles({ name: 'spec.txt', mimeType: 'text/plain', buffer: Buffer.from('the spec') })
  await expect(aliceThread.getByTestId('composer-upload')).toHaveAttribute('data-state', 'done')
  await aliceThread.getByTestId('thread-input').fill('here it is')
  await aliceThread.getByTestId('thread-input').press('Enter')
  await expect(aliceThread.getByTestId('composer-upload')).toHaveCount(0)
  const fileReply = bobThread.getByTestId('thread-reply').filter({ hasText: 'here it is' })
  await expect(fileReply.getByTestId('attachment-file')).toHaveAttribute('download', 'spec.txt')
  await expect(fileReply.getByTestId('attachment-file')).toHaveAttribute('href', /^\/api\/files\/[^/]+$/)

  // An image dropped onto the thread composer, sent with no text and also to the room: a thumbnail in both places.
  const png = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#aa2266' } }).png().toBuffer()
  await dropFiles(aliceThread.getByTestId('thread-input'), [{ name: 'mockup.png', mimeType: 'image/png', buffer: png }])
  await expect(aliceThread.getByTestId('composer-upload')).toHaveAttribute('data-state', 'done')
  await aliceThread.getByTestId('thread-also-to-room').check()
  await aliceThread.getByRole('button', { name: 'Reply', exact: true }).click()
  const thumbnailInThread = bobThread.getByTestId('thread-reply').getByTestId('attachment-image').locator('img')
  await expect(thumbnailInThread).toHaveAttribute('width', '200')
  await expect.poll(() => thumbnailInThread.evaluate(img => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0)
  const inBobRoom = bob.getByRole('log').getByTestId('message').filter({ has: bob.getByTestId('replied-to-thread') })
  await expect(inBobRoom.getByTestId('attachment-image').locator('img')).toHaveAttribute('width', '200')
  // The reply with the text file stayed in the thread.
  await expect(bob.getByRole('log').getByTestId('attachment-file')).toHaveCount(0)

  // Stored with their files: after a reload Bob's reopened thread still shows both.
  await bob.reload()
  await expectConnected(bob)
  const reopened = await openThread(bob)
  await expect(reopened.getByTestId('thread-reply').getByTestId('attachment-file')).toHaveAttribute('download', 'spec.txt')
  await expect(reopened.getByTestId('thread-reply').getByTestId('attachment-image')).toHaveCount(1)
})

test('a draft stays where it was written: another thread or room starts empty, and the draft, files included, is back on return', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const room = uniqueName('drafts')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  await alice.goto(`/rooms/${room}`)
  await expectConnected(alice)
  const [first, second] = [`first ${uniqueName('topic')}`, `second ${uniqueName('topic')}`]
  await sendMessage(alice, first, room)
  await sendMessage(alice, second, room)
  const panel = alice.getByTestId('thread-panel')
  const openThread = async (rootText: string) => {
    const root = alice.getByRole('log').getByTestId('message').filter({ hasText: rootText })
    await root.hover()
    await root.getByRole('button', { name: 'Reply in thread', exact: true }).click()
    await expect(panel.getByTestId('thread-root')).toContainText(rootText)
  }

  // Half a reply and a file in the first thread, then the second thread: its composer is empty.
  await openThread(first)
  await panel.getByTestId('thread-input').fill('meant for the first thread')
  await panel.getByTestId('attach-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('notes') })
  await expect(panel.getByTestId('composer-upload')).toHaveAttribute('data-state', 'done')
  await openThread(second)
  await expect(panel.getByTestId('thread-input')).toHaveValue('')
  await expect(panel.getByTestId('composer-upload')).toHaveCount(0)
  await panel.getByTestId('thread-input').fill('for the second')
  await panel.getByTestId('thread-input').press('Enter')
  await expect(panel.getByTestId('thread-reply')).toHaveText([/for the second/])

  // Back in the first thread, the draft is there and goes there, with its file.
  await openThread(first)
  await expect(panel.getByTestId('thread-input')).toHaveValue('meant for the first thread')
  await expect(panel.getByTestId('composer-upload')).toHaveAttribute('data-state', 'done')
  await panel.getByTestId('thread-input').press('Enter')
  const reply = panel.getByTestId('thread-reply')
  await expect(reply).toHaveText([/meant for the first thread/])
  await expect(reply.getByTestId('attachment-file')).toHaveAttribute('download', 'notes.txt')

  // The room's composer keeps its draft across a visit to another room.
  await composer(alice, room).fill('a thought for this room')
  await alice.getByRole('link', { name: /general/ }).first().click()
  await expect(alice).toHaveURL(/\/rooms\/general$/)
  await expect(composer(alice)).toHaveValue('')
  await alice.getByRole('link', { name: new RegExp(room) }).first().click()
  await expect(composer(alice, room)).toHaveValue('a thought for this room')
})

test('a reply sent only to a thread adds nothing to the room\'s unread count, live or after a reload; one sent to the room too does', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('quiet-threads')
  const post = async (data: Record<string, unknown>) => {
    const response = await alice.context().request.post(`/api/rooms/${room}/messages`, { data: { clientId: uniqueName('c'), ...data } })
    expect(response.status()).toBe(201)
    return (await response.json()) as { id: string }
  }
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  const root = await post({ text: 'the root' })
  // Bob reads the room, then goes back to general.
  await bob.goto(`/rooms/${room}`)
  await expect(bob.getByTestId('message-text').filter({ hasText: 'the root' })).toBeVisible()
  await bob.getByRole('link', { name: 'general', exact: true }).click()
  await expect(composer(bob, 'general')).toBeVisible()

  await post({ text: 'only in the thread', threadId: root.id })
  await post({ text: 'in the thread and the room', threadId: root.id, alsoToRoom: true })
  const badge = bob.getByRole('link', { name: new RegExp(room) }).getByTestId('unread')
  await expect(badge).toHaveText('1')
  // Read markers go out in batches: the reload waits until the server holds bob's, at the root.
  await expect.poll(async () => (await (await bob.context().request.get('/api/rooms')).json()).read[room]).toBe(1)
  await bob.reload()
  await expectConnected(bob)
  await expect(badge).toHaveText('1')
})
