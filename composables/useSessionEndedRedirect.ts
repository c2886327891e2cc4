import { useConnectionStore } from '~/stores/connection'
import { useSessionStore } from '~/stores/session'

/**
 * When the server ends this session (signed out elsewhere, "sign out everywhere", a password change, a ban:
 * the socket closes with 1008), the page forgets the user and goes to the sign-in screen, which says why.
 */
export function useSessionEndedRedirect(): void {
  const connection = useConnectionStore()
  const session = useSessionStore()
  watch(() => connection.needsSignIn, (ended) => {
    if (!ended || session.ending) return
    session.signedOut()
    void navigateTo({ path: '/', query: { session: 'ended' } })
  })
}
