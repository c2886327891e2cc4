import type { CDPSession, Page } from '@playwright/test'

/** Options of Chromium's virtual authenticator (CDP WebAuthn.VirtualAuthenticatorOptions). */
export interface VirtualAuthenticatorOptions {
  /** @default 'ctap2' */
  protocol?: 'ctap2' | 'u2f'
  /** @default 'internal' (a platform authenticator, like Touch ID) */
  transport?: 'internal' | 'usb' | 'nfc' | 'ble' | 'hybrid'
  /** Stores discoverable credentials, so sign-in works without a username. @default true */
  hasResidentKey?: boolean
  /** @default true */
  hasUserVerification?: boolean
  /** Whether the simulated user passes verification (fingerprint, PIN). @default true */
  isUserVerified?: boolean
}

/** A credential as the virtual authenticator holds it. */
export interface VirtualCredential {
  credentialId: string
  isResidentCredential: boolean
  rpId?: string
  userHandle?: string
  signCount: number
}

/** One virtual authenticator attached to a page through CDP; it lives as long as the page's target. */
export interface VirtualAuthenticator {
  id: string
  session: CDPSession
  /** Every credential registered on it so far. */
  credentials(): Promise<VirtualCredential[]>
  /** Makes the simulated user pass or fail user verification from now on. */
  setUserVerified(verified: boolean): Promise<void>
  remove(): Promise<void>
}

/**
 * Gives a Chromium page an authenticator that answers navigator.credentials.create/get by itself
 * (automaticPresenceSimulation), so a spec can register and use passkeys with no human touch.
 */
export async function addVirtualAuthenticator(page: Page, options: VirtualAuthenticatorOptions = {}): Promise<VirtualAuthenticator> {
  const session = await page.context().newCDPSession(page)
  // enableUI: false keeps Chromium from showing its own account chooser, which no test can click.
  await session.send('WebAuthn.enable', { enableUI: false })
  const { authenticatorId } = await session.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: options.protocol ?? 'ctap2',
      transport: options.transport ?? 'internal',
      hasResidentKey: options.hasResidentKey ?? true,
      hasUserVerification: options.hasUserVerification ?? true,
      isUserVerified: options.isUserVerified ?? true,
      automaticPresenceSimulation: true,
    },
  })
  return {
    id: authenticatorId,
    session,
    async credentials() {
      const { credentials } = await session.send('WebAuthn.getCredentials', { authenticatorId })
      return credentials
    },
    async setUserVerified(isUserVerified) {
      await session.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified })
    },
    async remove() {
      await session.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId })
    },
  }
}
