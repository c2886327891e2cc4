import type { ThreadsEverywhere } from '#shared/protocol'

/** The threads the user follows in every room they may read, with the replies by others not read yet. */
export default defineChatHandler(async (event): Promise<ThreadsEverywhere> => {
  const user = await requireChatUser(event)
  return { threads: await useBanter().chat.threads.everywhere(user) }
})
