import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineConfig } from '@playwright/test'

/** Browsers cannot be downloaded here: the tests drive Debian's Chromium. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const PORT = Number(process.env.BANTER_BROWSER_PORT ?? 3457)
// localhost, not 127.0.0.1: the session cookie is Secure, which browsers allow on http://localhost only.
const BASE_URL = `http://localhost:${PORT}`

export default defineConfig({
  testDir: 'tests/browser',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  // The same production build the e2e tier uses (`npm test` builds it once), on its own SQLite file.
  webServer: {
    command: 'node .output/server/index.mjs',
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 30_000,
    env: {
      PORT: String(PORT),
      NUXT_DATABASE_PATH: join(tmpdir(), `banter-browser-${process.pid}.sqlite`),
      NUXT_SESSION_PASSWORD: 'test-only-session-password-0123456789abcdef',
      // Every browser signs in from 127.0.0.1, and specs fill rooms with history over REST: the per-address sign-in
      // rate and the per-user chat rate (shared by REST and sockets) are lifted here; tests/e2e checks both.
      NUXT_LIMITS_SIGN_INS_PER_MINUTE: '0',
      NUXT_LIMITS_MESSAGES_PER_SECOND: '0',
      // Specs make rooms by the dozen from one address; tests/e2e/caps.test.ts checks the creation caps.
      NUXT_LIMITS_ROOMS_PER_HOUR: '0',
    },
  },
})
