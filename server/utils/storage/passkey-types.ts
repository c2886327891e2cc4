/** A WebAuthn credential registered to an account. `id` and `publicKey` are base64url, as the browser sends them. */
export interface Passkey {
  id: string
  userId: string
  publicKey: string
  /** The authenticator's signature counter (0 for authenticators that do not count, such as most passkeys). */
  counter: number
  /** Whether the credential is synced to other devices (a multi-device passkey). */
  backedUp: boolean
  /** How the browser may reach the authenticator ('internal', 'hybrid', 'usb' ...). */
  transports: string[]
  /** A label the user recognizes it by, from the device it was made on. */
  name: string
  createdAt: number
  lastUsedAt: number | null
}

/** What removing a passkey did; 'last_credential' leaves the user's only way to sign in in place. */
export type PasskeyRemoval = 'ok' | 'not_found' | 'last_credential'

/** Passkeys and the WebAuthn challenges of ceremonies under way: kept in the database, so every instance reads them. */
export interface PasskeyStorage {
  /** Stores a new credential; false when a credential with this id is already registered (to anyone). */
  addPasskey(passkey: Omit<Passkey, 'lastUsedAt'>): Promise<boolean>
  passkeyById(id: string): Promise<Passkey | null>
  /** The user's passkeys, oldest first. */
  passkeysOf(userId: string): Promise<Passkey[]>
  /** Records a sign-in with the credential: its new counter and when. */
  markPasskeyUsed(id: string, counter: number, now: number): Promise<void>
  /**
   * Removes the user's passkey (another user's answers 'not_found'). Unless `mayRemoveLast` (the account has another
   * way to sign in), the user's last passkey is kept: checked and deleted together, so two removals cannot both pass.
   */
  removePasskey(userId: string, id: string, mayRemoveLast: boolean): Promise<PasskeyRemoval>
  /** Keeps a challenge under `key` until `expiresAt` (epoch ms), replacing any earlier one; drops expired ones. */
  storeChallenge(key: string, challenge: string, expiresAt: number): Promise<void>
  /** Reads and deletes the challenge, so it answers one ceremony only; null when missing or expired at `now`. */
  takeChallenge(key: string, now: number): Promise<string | null>
}
