import { useBanter } from '../../utils/banter'
import { requireChatUser } from '../../utils/session-user'

/** Every room by name, with each room's last seq and the user's read markers (for unread counts). */
export default defineEventHandler(async (event) => {
  const user = await requireChatUser(event)
  const { storage } = useBanter()
  const [rooms, lastSeq, read] = await Promise.all([storage.listRooms(), storage.roomSeqs(), storage.readSeqs(user.id)])
  return { rooms, lastSeq, read }
})
