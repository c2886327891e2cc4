import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { User } from '#shared/protocol'

/** Who is signed in: set by the session check before the socket opens, and again by every `welcome`. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<User | null>(null)
  return { user }
})
