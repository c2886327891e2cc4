import { useBanter } from '../../utils/banter'
import { requireChatUser } from '../../utils/session-user'

/** Every room, by name. */
export default defineEventHandler(async (event) => {
  await requireChatUser(event)
  return { rooms: await useBanter().storage.listRooms() }
})
