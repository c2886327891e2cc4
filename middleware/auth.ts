import { useSessionStore } from '~/stores/session'
import type { SignedIn } from '~/stores/session'
import { apiErrorMessage, apiErrorStatus } from '~/utils/api-error'

/** Pages behind sign-in: sends signed-out visitors to `/` and puts the user in the session store. */
export default defineNuxtRouteMiddleware(async () => {
  const session = useSessionStore()
  // Moving between rooms in the browser: the session was checked already, and the socket reports a lost one.
  if (import.meta.client && session.user) return
  try {
    // useRequestFetch forwards the browser's cookie when this runs during server rendering.
    session.signedIn(await useRequestFetch()<SignedIn>('/api/session'))
  }
  catch (error) {
    if (apiErrorStatus(error) === 401) return navigateTo('/')
    throw createError({ statusCode: apiErrorStatus(error) ?? 500, statusMessage: apiErrorMessage(error, 'Could not check your session.') })
  }
})
