import type { FollowedThreads } from '#shared/protocol'

/** The room's threads the user follows (newest roots first), each with the replies by others not read yet. */
export default defineChatHandler(async (event): Promise<FollowedThreads> => {
  const user = await requireChatUser(event)
  const room = roomParam(event)
  return { room, threads: await useBanter().chat.threads.followed(user, room) }
})
