import type { SignedIn } from '~/stores/session'
import { signInErrorMessage } from '~/utils/api-error'

/**
 * One sign-in or sign-up request of a form: busy while it runs, the server's own words when it refuses
 * (with when to retry after too many attempts), and `done` with the signed-in user when it succeeds.
 */
export function useAuthSubmit(done: (answer: SignedIn) => void) {
  const busy = ref(false)
  const error = ref<string | null>(null)

  async function submit(url: string, body: Record<string, unknown>, fallback: string): Promise<void> {
    if (busy.value) return
    busy.value = true
    error.value = null
    try {
      done(await $fetch<SignedIn>(url, { method: 'POST', body }))
    }
    catch (failure) {
      error.value = signInErrorMessage(failure, fallback)
    }
    finally {
      busy.value = false
    }
  }

  return { busy, error, submit }
}
