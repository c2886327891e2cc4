import sharp from 'sharp'
import { expect, test } from '@playwright/test'
import type { Page } from '@playwright/test'
import { composer, dropFiles, expectConnected, expectNoCspViolationOrDialogAfterEach, signedInPage, uniqueName } from './support'

expectNoCspViolationOrDialogAfterEach()

/** Both people in a new room of their own. */
async function twoInRoom(browser: Parameters<typeof signedInPage>[0]): Promise<{ alice: Page, bob: Page, room: string }> {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const room = uniqueName('files')
  expect((await alice.context().request.post('/api/rooms', { data: { name: room } })).status()).toBe(201)
  for (const page of [alice, bob]) {
    await page.goto(`/rooms/${room}`)
    await expectConnected(page)
  }
  return { alice, bob, room }
}

test('an image pasted into one person\'s composer shows as a thumbnail to the other, opening full size', async ({ browser }) => {
  const { alice, bob, room } = await twoInRoom(browser)
  const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#22aa66' } }).png().toBuffer()

  // A paste as the browser makes it from a copied image: a ClipboardEvent whose data holds a file.
  await composer(alice, room).focus()
  await composer(alice, room).evaluate((field, base64) => {
    const bytes = Uint8Array.from(atob(base64), character => character.charCodeAt(0))
    const data = new DataTransfer()
    data.items.add(new File([bytes], 'image.png', { type: 'image/png' }))
    field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, png.toString('base64'))
  await expect(alice.getByTestId('composer-upload')).toHaveAttribute('data-state', 'done')
  await alice.getByRole('button', { name: 'Send', exact: true }).click()
  await expect(alice.getByTestId('composer-upload')).toHaveCount(0)

  const image = bob.getByTestId('message').getByTestId('attachment-image')
  await expect(image).toHaveCount(1)
  const thumbnail = image.locator('img')
  await expect(thumbnail).toHaveAttribute('src', /^\/api\/files\/[^/]+\/thumbnail$/)
  await expect(thumbnail).toHaveAttribute('width', '400')
  await expect(thumbnail).toHaveAttribute('height', '300')
  // The thumbnail really loaded (served to a member, allowed by the page's CSP).
  await expect.poll(() => thumbnail.evaluate(img => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0)
  await expect(image).toHaveAttribute('href', /^\/api\/files\/[^/]+$/)
  await expect(image).toHaveAttribute('target', '_blank')
})

test('a file picked with the attach button goes with the text as a download link; a cancelled one never goes', async ({ browser }) => {
  const { alice, bob, room } = await twoInRoom(browser)
  await alice.getByTestId('attach-input').setInputFiles({ name: 'plan.txt', mimeType: 'text/plain', buffer: Buffer.from('step one, step two') })
  await expect(alice.getByTestId('composer-upload')).toHaveAttribute('data-state', 'done')
  await alice.getByTestId('attach-input').setInputFiles({ name: 'second.txt', mimeType: 'text/plain', buffer: Buffer.from('not this one') })
  await alice.getByRole('button', { name: /^(Cancel|Remove) second\.txt$/ }).click()
  await expect(alice.getByTestId('composer-upload')).toHaveCount(1)
  await composer(alice, room).fill('the plan')
  await composer(alice, room).press('Enter')

  const message = bob.getByTestId('message').filter({ hasText: 'the plan' })
  const file = message.getByTestId('attachment-file')
  await expect(file).toHaveCount(1)
  await expect(file).toContainText('plan.txt')
  await expect(file).toHaveAttribute('download', 'plan.txt')
})

test('an upload refused on its merits offers no Retry; one lost on the way does, and then goes', async ({ browser }) => {
  const { alice } = await twoInRoom(browser)
  const upload = (name: string) => alice.getByTestId('composer-upload').filter({ hasText: name })
  const retry = (name: string) => upload(name).getByRole('button', { name: 'Retry' })
  await alice.getByTestId('attach-input').setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) })
  await expect(upload('empty.txt')).toContainText('Not uploaded: The file is empty.')
  // Text that calls itself a PNG: the server reads the bytes and refuses it (415).
  await alice.getByTestId('attach-input').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not an image at all') })
  await expect(upload('fake.png')).toHaveAttribute('data-state', 'failed')
  await expect(upload('fake.png')).toContainText('Not uploaded:')
  await expect(retry('empty.txt')).toHaveCount(0)
  await expect(retry('fake.png')).toHaveCount(0)

  let dropped = false
  await alice.route('**/uploads?*', async (route) => {
    if (dropped) return route.continue()
    dropped = true
    return route.abort('connectionreset')
  })
  await alice.getByTestId('attach-input').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('the notes') })
  await expect(upload('notes.txt')).toContainText('The upload did not reach the server.')
  await retry('notes.txt').click()
  await expect(upload('notes.txt')).toHaveAttribute('data-state', 'done')
})

test('files dragged onto the composer upload, and go with the next message to the other person', async ({ browser }) => {
  const { alice, bob, room } = await twoInRoom(browser)
  const png = await sharp({ create: { width: 120, height: 80, channels: 3, background: '#3366cc' } }).png().toBuffer()

  await dropFiles(composer(alice, room), [
    { name: 'diagram.png', mimeType: 'image/png', buffer: png },
    { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('dropped, not pasted') },
  ])
  const uploads = alice.getByTestId('composer-upload')
  await expect(uploads).toHaveCount(2)
  await expect(uploads.filter({ hasText: 'diagram.png' })).toHaveAttribute('data-state', 'done')
  await expect(uploads.filter({ hasText: 'notes.txt' })).toHaveAttribute('data-state', 'done')
  // The drop did not put the file's name or bytes into the field as text.
  await expect(composer(alice, room)).toHaveValue('')
  await composer(alice, room).fill('from the desktop')
  await composer(alice, room).press('Enter')
  await expect(uploads).toHaveCount(0)

  const message = bob.getByTestId('message').filter({ hasText: 'from the desktop' })
  await expect(message.getByTestId('attachment-image').locator('img')).toHaveAttribute('width', '120')
  await expect(message.getByTestId('attachment-file')).toHaveAttribute('download', 'notes.txt')
})
