/** The signed-in account's passkeys, oldest first: what the account page lists (never the public keys). */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  const passkeys = await useBanter().storage.passkeysOf(account.id)
  return {
    passkeys: passkeys.map(passkey => ({
      id: passkey.id,
      name: passkey.name,
      createdAt: passkey.createdAt,
      lastUsedAt: passkey.lastUsedAt,
      backedUp: passkey.backedUp,
    })),
  }
})
