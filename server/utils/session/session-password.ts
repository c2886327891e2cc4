/** nuxt-auth-utils seals the session cookie with this secret; it needs at least 32 characters. */
const MIN_PASSWORD_LENGTH = 32

/**
 * In development nuxt-auth-utils writes a random NUXT_SESSION_PASSWORD into .env by itself.
 * A production server without one would seal cookies with nothing, so it refuses to start and says why.
 */
export function requireSessionPassword(): void {
  if (import.meta.dev) return
  const password = process.env.NUXT_SESSION_PASSWORD ?? ''
  if (password.length >= MIN_PASSWORD_LENGTH) return
  console.error(
    `[banter] NUXT_SESSION_PASSWORD is ${password ? 'shorter than 32 characters' : 'not set'}.\n`
    + '  The session cookie is sealed with it, so the server will not start without one.\n'
    + '  Set it to a random secret of at least 32 characters, for example:\n'
    + '    NUXT_SESSION_PASSWORD="$(openssl rand -base64 32)" node .output/server/index.mjs',
  )
  process.exit(1)
}
