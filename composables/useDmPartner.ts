import type { ComputedRef, MaybeRefOrGetter } from 'vue'
import { computed, toValue } from 'vue'
import type { User } from '#shared/protocol'
import { useRoomsStore } from '~/stores/rooms'
import { useSessionStore } from '~/stores/session'
import { dmPartner } from '~/utils/room-label'

/**
 * The other person of the direct message `room`, who names it on screen as in the sidebar ("Message Carol",
 * never its internal `dm-…` name); undefined for any other room.
 */
export function useDmPartner(room: MaybeRefOrGetter<string>): ComputedRef<User | undefined> {
  const rooms = useRoomsStore()
  const session = useSessionStore()
  return computed(() => {
    const known = rooms.list.find(candidate => candidate.name === toValue(room))
    return known ? dmPartner(known, session.user?.id) : undefined
  })
}
