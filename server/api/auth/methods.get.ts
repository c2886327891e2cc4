import { workspaceSettings } from '#server/utils/accounts/workspace-settings'
import { oidcConfigured } from '#server/utils/accounts/oidc-sign-in'

/** The ways to sign in here, for the sign-in page: single sign-on only when configured, guests when allowed. */
export default defineChatHandler(async (event) => {
  return {
    password: true,
    passkeys: true,
    oidc: oidcConfigured(event),
    guests: (await workspaceSettings()).guests,
  }
})
