import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { defineNuxtModule } from '@nuxt/kit'
import webPush from 'web-push'

/** The VAPID settings `nuxt dev` fills in, as nuxt-auth-utils does NUXT_SESSION_PASSWORD. */
const DEV_SUBJECT = 'mailto:banter@localhost.localdomain'

/**
 * On the first `nuxt dev`, generates a VAPID key pair into `.env` (appended, never overwriting a value there), so
 * push works locally with nothing to set up. The production server never generates keys: a new pair at each
 * start would orphan every subscription, so there push stays off until the operator sets them (docs/configuration.md).
 */
export default defineNuxtModule({
  meta: { name: 'banter-vapid-keys' },
  async setup(_options, nuxt) {
    if (!nuxt.options.dev || process.env.NUXT_VAPID_PUBLIC_KEY || process.env.NUXT_VAPID_PRIVATE_KEY) return
    const keys = webPush.generateVAPIDKeys()
    const values: Record<string, string> = {
      NUXT_VAPID_PUBLIC_KEY: keys.publicKey,
      NUXT_VAPID_PRIVATE_KEY: keys.privateKey,
      NUXT_VAPID_SUBJECT: process.env.NUXT_VAPID_SUBJECT || DEV_SUBJECT,
    }
    const envPath = join(nuxt.options.rootDir, '.env')
    const envContent = await readFile(envPath, 'utf-8').catch(() => '')
    if (/^NUXT_VAPID_(PUBLIC|PRIVATE)_KEY=/m.test(envContent)) return
    Object.assign(process.env, values)
    const lines = Object.entries(values).filter(([name]) => !new RegExp(`^${name}=`, 'm').test(envContent)).map(([name, value]) => `${name}=${value}`)
    await writeFile(envPath, `${envContent ? `${envContent.replace(/\n?$/, '\n')}` : ''}${lines.join('\n')}\n`, 'utf-8')
  },
})
