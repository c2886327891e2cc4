import { RoomSettingsSchema } from '#shared/room-settings'

/** Changes the topic or slow mode (the room's owner or an admin); everyone who can see the room hears a `room` event. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  const room = roomParam(event)
  const settings = await readBodyAs(event, RoomSettingsSchema)
  return { room: await useBanter().chat.rooms.update(account, room, settings) }
})
