import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { RoomPermissions } from '#shared/room-settings'
import { useConnectionStore } from './connection'

/** What this user may do in each room (moderate it, manage its members), from `GET /api/rooms/:room`: the server's policy decides. */
export const useRoomPermissionsStore = defineStore('room-permissions', () => {
  const connection = useConnectionStore()
  const permissions = ref<Record<string, RoomPermissions>>({})

  // A room that changed (its members, say) may have changed what this user may do there.
  connection.on('room', event => permissions.value[event.room.name] && void load(event.room.name))
  connection.onDisconnect(() => {
    permissions.value = {}
  })

  /** Asks the server what this user may do in the room. */
  async function load(room: string): Promise<void> {
    try {
      const answer = await $fetch<{ permissions: RoomPermissions }>(`/api/rooms/${room}`)
      permissions.value = { ...permissions.value, [room]: answer.permissions }
    }
    catch (error) {
      console.warn(`[banter] could not read what you may do in ${room}`, error)
    }
  }

  /** The user left the room, or was taken out of it. */
  function forget(room: string): void {
    const { [room]: _gone, ...rest } = permissions.value
    permissions.value = rest
  }

  return { permissions, load, forget }
})
