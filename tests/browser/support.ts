import { expect, test } from '@playwright/test'
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from '@playwright/test'

/** A name no other test uses: the browser tier shares one server. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`
}

/** Console errors about the Content-Security-Policy, from every page the helpers open; a spec checks it stays empty. */
export const cspViolations: string[] = []

/** Messages of every dialog (alert, confirm, prompt) a page opened: injected script would show up here. */
export const dialogs: string[] = []

/** After every test of the file: nothing the app needs was blocked by its own CSP, and no page opened a dialog. */
export function expectNoCspViolationOrDialogAfterEach(): void {
  test.afterEach(() => {
    expect(cspViolations).toEqual([])
    expect(dialogs).toEqual([])
  })
}

/**
 * Contexts made by `freshPage`, with the test that made them. Playwright closes only the contexts of its own
 * fixtures: these stayed open for the whole run, every page's socket still live, until the later specs ran
 * on a browser holding dozens of chatting pages.
 */
let openContexts: { testId: string, context: BrowserContext }[] = []

/** Closes the contexts earlier tests left open; the current test's stay. */
async function closeEarlierContexts(testId: string): Promise<void> {
  const earlier = openContexts.filter(open => open.testId !== testId)
  openContexts = openContexts.filter(open => open.testId === testId)
  await Promise.all(earlier.map(open => open.context.close().catch(() => {})))
}

/**
 * A page in a fresh browser context (its own cookies, like another person), watched for dialogs and CSP errors;
 * `device` sets its screen (a phone's viewport, `isMobile`, `hasTouch`).
 */
export async function freshPage(browser: Browser, device?: BrowserContextOptions): Promise<Page> {
  const { testId } = test.info()
  await closeEarlierContexts(testId)
  const context = await browser.newContext(device)
  openContexts.push({ testId, context })
  const page = await context.newPage()
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text())
  })
  return page
}

/** Opens a fresh browser context (on `device`'s screen, if given) and joins as a guest through the sign-in form. */
export async function signedInPage(browser: Browser, name: string, device?: BrowserContextOptions): Promise<Page> {
  const page = await freshPage(browser, device)
  await page.goto('/')
  await page.getByLabel('Your name').fill(name)
  await page.getByRole('button', { name: 'Join as a guest' }).click()
  await expect(page).toHaveURL(/\/rooms\/general$/)
  await expectConnected(page)
  return page
}

/** The status banner hides once the socket is open and welcomed. */
export async function expectConnected(page: Page): Promise<void> {
  await expect(page.getByTestId('connection-status')).toBeHidden()
}

/** The composer of a room, "Message #general", or of a direct message, named after the other person: "Message Carol". */
export function composer(page: Page, room: string | { person: string } = 'general') {
  return page.getByLabel(typeof room === 'string' ? `Message #${room}` : `Message ${room.person}`)
}

export async function sendMessage(page: Page, text: string, room: string | { person: string } = 'general'): Promise<void> {
  await composer(page, room).fill(text)
  await composer(page, room).press('Enter')
}

/** The text of every stored message shown in the room, in order. */
export function messageTexts(page: Page) {
  return page.getByTestId('message-text')
}

/** A file for `dropFiles`: its bytes travel into the page as base64. */
export interface DroppedFile { name: string, mimeType: string, buffer: Buffer }

/**
 * Drags files onto an element and drops them, as a browser does for files dragged in from the desktop: dragenter,
 * dragover and drop, all carrying one DataTransfer built in the page (Playwright cannot drag files from outside).
 */
export async function dropFiles(target: Locator, files: DroppedFile[]): Promise<void> {
  const encoded = files.map(file => ({ name: file.name, type: file.mimeType, base64: file.buffer.toString('base64') }))
  const dataTransfer = await target.page().evaluateHandle((list) => {
    const data = new DataTransfer()
    for (const file of list) {
      const bytes = Uint8Array.from(atob(file.base64), character => character.charCodeAt(0))
      data.items.add(new File([bytes], file.name, { type: file.type }))
    }
    return data
  }, encoded)
  for (const type of ['dragenter', 'dragover', 'drop']) await target.dispatchEvent(type, { dataTransfer })
  await dataTransfer.dispose()
}
