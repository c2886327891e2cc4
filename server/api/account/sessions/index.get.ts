/** The account's live sessions, newest first, with the current one marked. */
export default defineChatHandler(async (event) => {
  const { account, sessionId } = await requireChatSession(event)
  const sessions = await useBanter().storage.listSessions(account.id, Date.now())
  return {
    sessions: sessions.map(session => ({
      id: session.idHash,
      device: session.device,
      ip: session.ip,
      createdAt: session.createdAt,
      lastSeenAt: session.lastSeenAt,
      expiresAt: session.expiresAt,
      current: session.idHash === sessionId,
    })),
  }
})
