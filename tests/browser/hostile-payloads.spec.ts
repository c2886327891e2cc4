import { expect, test } from '@playwright/test'
import { cspViolations, dialogs, signedInPage, uniqueName } from './support'

/** Payloads that would run script, inject markup or break layout if the text were ever treated as HTML. */
const HOSTILE_PAYLOADS = [
  '<script>alert("xss-1")</script>',
  '<img src=x onerror=alert("xss-2")>',
  '<svg onload=alert("xss-3")>',
  '"><script>alert("xss-4")</script>',
  '\'><img src=x onerror=alert(\'xss-5\')>',
  '<iframe src="javascript:alert(`xss-6`)"></iframe>',
  '<a href="javascript:alert(\'xss-7\')">click me</a>',
  '<body onload=alert("xss-8")>',
  '<details open ontoggle=alert("xss-9")>',
  '{{ constructor.constructor(\'alert("xss-10")\')() }}',
  '<style>*{display:none}</style>',
  '&lt;script&gt;alert("xss-12")&lt;/script&gt;',
  'javascript:alert("xss-13")',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert("xss-14")>',
  '\u202Egnp.exe',
  '<!-- comment --> <![CDATA[ x ]]> %3Cscript%3Ealert("xss-16")%3C/script%3E',
  '```\n<script>alert("xss-17")</script>\n```',
  'https://example.com/"><script>alert("xss-18")</script> http://x.test/?q=<img src=x onerror=alert("xss-19")>',
]

/**
 * What a reader sees where it differs from what was sent: code loses its backtick markers, never its text, and a
 * line break shows as a break. (A fence opens only at the start of a line, so in 16 the text stays a paragraph.)
 */
const SHOWN_AS: Record<number, string> = {
  5: '<iframe src="javascript:alert(xss-6)"></iframe>',
  16: '```<script>alert("xss-17")</script>',
}

test('hostile payloads are shown as the exact text sent, and nothing runs', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const batch = uniqueName('corpus')

  // Posted over REST from alice's session, straight into the room bob is watching.
  for (const [index, payload] of HOSTILE_PAYLOADS.entries()) {
    const response = await alice.context().request.post('/api/rooms/general/messages', {
      data: { text: `${batch}[${index}] ${payload}`, clientId: `${batch}-${index}` },
    })
    expect(response.status()).toBe(201)
  }

  for (const page of [bob, alice]) {
    for (const [index, payload] of HOSTILE_PAYLOADS.entries()) {
      const shown = page.getByTestId('message-text').filter({ hasText: `${batch}[${index}] ` })
      await expect(shown).toHaveCount(1)
      expect(await shown.textContent()).toBe(`${batch}[${index}] ${SHOWN_AS[index] ?? payload}`)
    }
  }
  // Reloaded from the server-rendered history too.
  await bob.reload()
  await expect(bob.getByTestId('message-text').filter({ hasText: `${batch}[${HOSTILE_PAYLOADS.length - 1}] ` })).toHaveCount(1)
  expect(await bob.locator('[data-testid="message-text"] img, [data-testid="message-text"] script, [data-testid="message-text"] iframe, [data-testid="message-text"] svg').count()).toBe(0)
  // Only http(s) (and mailto) URLs ever become links.
  expect(await bob.locator('[data-testid="message-text"] a:not([href^="http://"]):not([href^="https://"]):not([href^="mailto:"])').count()).toBe(0)
  expect(dialogs).toEqual([])
  expect(cspViolations).toEqual([])
})

test('markdown renders as chat formatting, and hostile markdown stays inert', async ({ browser }) => {
  const alice = await signedInPage(browser, uniqueName('alice'))
  const bob = await signedInPage(browser, uniqueName('bob'))
  const marker = uniqueName('md')
  const text = [
    `${marker} **bold** _italic_ ~~struck~~ \`code\``,
    '> quoted',
    '',
    '- first',
    '- second',
    '',
    '[docs](https://example.com/docs) [bad](javascript:alert("md-1")) ![pic](https://example.com/x.png)',
    '[data](data:text/html,<script>alert("md-2")</script>) <img src=x onerror=alert("md-3")> **<script>alert("md-4")</script>**',
  ].join('\n')
  const response = await alice.context().request.post('/api/rooms/general/messages', { data: { text, clientId: marker } })
  expect(response.status()).toBe(201)
  for (const page of [bob, alice]) {
    const shown = page.getByTestId('message-text').filter({ hasText: marker })
    await expect(shown.locator('strong').first()).toHaveText('bold')
    await expect(shown.locator('em')).toHaveText('italic')
    await expect(shown.locator('s')).toHaveText('struck')
    await expect(shown.locator('code')).toHaveText('code')
    await expect(shown.locator('blockquote')).toHaveText('quoted')
    await expect(shown.locator('ul > li')).toHaveText(['first', 'second'])
    // Only the two http(s) links are links; the rest is text, and no element but formatting came of it.
    expect(await shown.locator('a').evaluateAll(links => links.map(link => link.getAttribute('href')))).toEqual(['https://example.com/docs', 'https://example.com/x.png'])
    expect(await shown.locator('img, script, iframe, svg').count()).toBe(0)
    await expect(shown.locator('strong').nth(1)).toHaveText('<script>alert("md-4")</script>')
  }
  expect(dialogs).toEqual([])
  expect(cspViolations).toEqual([])
})
