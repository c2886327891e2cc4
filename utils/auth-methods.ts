/** GET /api/auth/methods: the ways into this workspace. */
export interface AuthMethods {
  password: boolean
  passkeys: boolean
  oidc: boolean
  guests: boolean
}

/** What a server without GET /api/auth/methods offers: passwords and guests. */
export const FALLBACK_AUTH_METHODS: AuthMethods = { password: true, passkeys: false, oidc: false, guests: true }

/** A sign-in screen's tabs: guest only when guests may join, the password forms when passwords are on. */
export type SignInMode = 'guest' | 'sign-in' | 'sign-up'

export function signInModes(methods: AuthMethods): SignInMode[] {
  return [
    ...(methods.guests ? ['guest' as const] : []),
    ...(methods.password ? ['sign-in' as const, 'sign-up' as const] : []),
  ]
}

/** The tab shown first: creating an account when the link carries an invite, else joining as a guest when allowed. */
export function firstSignInMode(modes: readonly SignInMode[], invited: boolean): SignInMode | undefined {
  if (invited && modes.includes('sign-up')) return 'sign-up'
  return modes[0]
}

/** Reads the server's answer field by field: a missing or odd field counts as the fallback's. */
export function parseAuthMethods(answer: unknown): AuthMethods {
  const fields = (answer ?? {}) as Partial<Record<keyof AuthMethods, unknown>>
  const pick = (key: keyof AuthMethods) => typeof fields[key] === 'boolean' ? fields[key] as boolean : FALLBACK_AUTH_METHODS[key]
  return { password: pick('password'), passkeys: pick('passkeys'), oidc: pick('oidc'), guests: pick('guests') }
}
