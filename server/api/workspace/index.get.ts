import { workspaceSettings } from '#server/utils/accounts/workspace-settings'

/** The workspace's settings (guests on or off, registration mode): anyone signed in may read them. */
export default defineChatHandler(async (event) => {
  await requireChatSession(event)
  return await workspaceSettings()
})
