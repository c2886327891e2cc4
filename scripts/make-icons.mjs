// Draws the app icons (public/icons) with the Chromium the browser tests use: node scripts/make-icons.mjs
import { chromium } from '@playwright/test'

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] })
const page = await browser.newPage()
// Maskable icons keep the letter inside the 80% safe zone and fill the whole square.
for (const [name, size, scale, radius] of [['banter-192', 192, 0.62, 0.2], ['banter-512', 512, 0.62, 0.2], ['banter-maskable-512', 512, 0.42, 0]]) {
  await page.setViewportSize({ width: size, height: size })
  await page.setContent(`<body style="margin:0;background:transparent"><div style="width:${size}px;height:${size}px;border-radius:${radius * size}px;background:#4f46e5;color:#fff;display:flex;align-items:center;justify-content:center;font:700 ${Math.round(size * scale)}px system-ui,sans-serif">b</div></body>`)
  await page.screenshot({ path: `public/icons/${name}.png`, omitBackground: true })
}
await browser.close()
