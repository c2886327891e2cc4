import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ChatMessage } from '#shared/protocol'
import { useConnectionStore } from './connection'

/** Newest pin first, as the server lists them. */
const byPinnedAt = (a: ChatMessage, b: ChatMessage) => (b.pinnedAt ?? 0) - (a.pinnedAt ?? 0) || b.seq - a.seq

/**
 * Each room's pinned messages, for the list in the room header: read over REST when the room is shown, then kept
 * current by the `update` events the room hears (a pin, an unpin, an edit, a delete of a pinned message).
 */
export const usePinsStore = defineStore('pins', () => {
  const connection = useConnectionStore()
  const pinsByRoom = ref<Record<string, ChatMessage[]>>({})

  connection.on('update', event => apply(event.message))
  connection.onDisconnect(() => {
    pinsByRoom.value = {}
  })

  function pinsOf(room: string): ChatMessage[] {
    return pinsByRoom.value[room] ?? []
  }

  async function load(room: string): Promise<void> {
    try {
      const { messages } = await $fetch<{ messages: ChatMessage[] }>(`/api/rooms/${room}/pins`)
      pinsByRoom.value = { ...pinsByRoom.value, [room]: messages }
    }
    catch (error) {
      console.warn(`[banter] could not read the pinned messages of ${room}`, error)
    }
  }

  /** A changed message: in the list while pinned and not deleted, out of it otherwise. */
  function apply(message: ChatMessage): void {
    const known = pinsByRoom.value[message.room]
    if (!known) return
    const others = known.filter(pinned => pinned.id !== message.id)
    const next = message.pinnedAt !== undefined && message.deletedAt === undefined ? [...others, message].sort(byPinnedAt) : others
    pinsByRoom.value = { ...pinsByRoom.value, [message.room]: next }
  }

  return { pinsByRoom, pinsOf, load, apply }
})
