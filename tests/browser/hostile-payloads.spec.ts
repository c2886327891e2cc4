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

/** What a reader sees where it differs from what was sent: code loses its backtick markers, never its text. */
const SHOWN_AS: Record<number, string> = {
  5: '<iframe src="javascript:alert(xss-6)"></iframe>',
  16: '<script>alert("xss-17")</script>',
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
  // Only http(s) URLs ever become links.
  expect(await bob.locator('[data-testid="message-text"] a:not([href^="http://"]):not([href^="https://"])').count()).toBe(0)
  expect(dialogs).toEqual([])
  expect(cspViolations).toEqual([])
})
