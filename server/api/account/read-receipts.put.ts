import * as v from 'valibot'

const SharingSchema = v.object({ share: v.boolean('share must be true or false.') })

/** Turns sharing the user's read receipts on or off (off: they see nobody's either): `{share}`. */
export default defineChatHandler(async (event) => {
  const user = await requireChatUser(event)
  const { share } = await readBodyAs(event, SharingSchema)
  await useBanter().chat.receipts.setSharing(user.id, share)
  return { share }
})
