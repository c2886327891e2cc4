import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { User, WorkspaceRole } from '#shared/protocol'
import { useConnectionStore } from './connection'
import { clearOfflineData } from '~/utils/offline-data'

/** What the server answers for a signed-in user (GET /api/session, sign-in and sign-up). */
export interface SignedIn {
  user: User
  role?: WorkspaceRole
}

/**
 * Who is signed in: set by the session check before the socket opens, by sign-in, and again by every `welcome`.
 * `role` is the workspace role; the socket's `welcome` does not carry it, so it comes from the REST answers.
 */
export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null)
  const role = ref<WorkspaceRole | null>(null)
  /**
   * True while this user ends their own session (sign out, sign out everywhere, delete the account): the server
   * closes the socket with 1008 before it answers, and that close is then no news to show.
   */
  const ending = ref(false)

  function signedIn(answer: SignedIn): void {
    user.value = answer.user
    // A guest's sign-in answer has no role: a guest is all it can be.
    role.value = answer.role ?? (answer.user.guest ? 'guest' : role.value)
  }

  /** After PATCH /api/account: the new names show at once (the server tells the sockets itself). */
  function renamed(next: User): void {
    if (user.value?.id === next.id) user.value = next
  }

  /** Ends this session on the server, then closes the socket for good and forgets the user. */
  function signOut(): Promise<void> {
    return endWith(() => $fetch<null>('/api/session', { method: 'DELETE' }))
  }

  /** Runs a request that ends this session on the server; once it succeeds, nothing of the session stays. */
  async function endWith(request: () => Promise<unknown>): Promise<void> {
    ending.value = true
    try {
      await request()
    }
    finally {
      ending.value = false
    }
    signedOut()
  }

  /** The session is gone (signed out here, everywhere, or the account was deleted): nothing of it stays. */
  function signedOut(): void {
    useConnectionStore().disconnect()
    if (import.meta.client) void clearOfflineData()
    user.value = null
    role.value = null
  }

  return { user, role, ending, signedIn, renamed, signOut, endWith, signedOut }
})
