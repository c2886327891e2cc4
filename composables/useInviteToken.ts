/** The invite token of an invite link (`/?invite=TOKEN`), for the sign-up form to send as `invite`. */
export function useInviteToken() {
  const route = useRoute()
  return computed(() => {
    const value = route.query.invite
    return typeof value === 'string' && value.length > 0 ? value : undefined
  })
}
