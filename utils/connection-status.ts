import type { ConnectionStatus } from '~/stores/connection'

/** The slice of the connection store the connection banner reads. */
export interface ConnectionState {
  status: ConnectionStatus
  reconnectAt: number | null
  offline: boolean
  needsSignIn: boolean
}

/** What the banner says, with an optional link to act on it; `null` hides the banner. */
export type ConnectionNotice = {
  kind: 'sign-in' | 'offline' | 'connecting' | 'reconnecting'
  text: string
  link?: { to: string, text: string }
} | null

/** The banner's message at `now`. The most actionable state wins: signing in, then being offline. */
export function connectionNotice(state: ConnectionState, now: number): ConnectionNotice {
  if (state.needsSignIn) return { kind: 'sign-in', text: 'Your session ended.', link: { to: '/', text: 'Sign in again.' } }
  if (state.offline) return { kind: 'offline', text: 'You are offline. Messages will be sent when you are back.' }
  // 'idle' is the server-rendered page before the browser opens the socket: not live yet either.
  if (state.status === 'idle' || state.status === 'connecting') return { kind: 'connecting', text: 'Connecting…' }
  if (state.status !== 'reconnecting') return null
  const seconds = secondsUntil(state.reconnectAt, now)
  return { kind: 'reconnecting', text: seconds > 0 ? `Reconnecting in ${seconds} s…` : 'Reconnecting…' }
}

/** Whole seconds left until `at`, rounded up so the countdown never shows 0 while still waiting. */
export function secondsUntil(at: number | null, now: number): number {
  if (at === null) return 0
  return Math.max(0, Math.ceil((at - now) / 1000))
}
