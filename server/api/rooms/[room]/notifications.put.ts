import { RoomNotificationChoiceSchema } from '#shared/notification-levels'

/** Sets the user's notification level (null: the default) and mute (null: none) in the room; every tab hears. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const room = roomParam(event)
  const choice = await readBodyAs(event, RoomNotificationChoiceSchema)
  return await useBanter().chat.notifications.choose(user.id, room, choice)
})
