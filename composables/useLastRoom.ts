import { DEFAULT_ROOM } from '#shared/protocol'

/** Where the last visited room is kept, so signing in again lands there. */
export const LAST_ROOM_KEY = 'banter:lastRoom'

/** Reads and writes the last visited room. Browser only: both calls do nothing on the server. */
export function useLastRoom() {
  function read(): string {
    if (import.meta.server) return DEFAULT_ROOM
    try {
      return localStorage.getItem(LAST_ROOM_KEY) || DEFAULT_ROOM
    }
    catch {
      return DEFAULT_ROOM // storage blocked (privacy mode, sandboxed frame)
    }
  }

  function remember(room: string): void {
    if (import.meta.server) return
    try {
      localStorage.setItem(LAST_ROOM_KEY, room)
    }
    catch {
      // Not remembering is fine: sign-in falls back to #general.
    }
  }

  return { read, remember }
}
