import { createECDH } from 'node:crypto'

/** A VAPID key pair as web-push takes it: base64url of the P-256 public point (65 bytes) and private scalar (32 bytes). */
export interface VapidKeys {
  publicKey: string
  privateKey: string
}

const BASE64URL = /^[\w-]+$/

/**
 * Whether the two keys are a P-256 pair in web-push's encoding: node:crypto derives the public point from
 * the private key, so a key copied from another pair (or half of one) is caught at start, not at the first push.
 */
export function isVapidKeyPair({ publicKey, privateKey }: VapidKeys): boolean {
  if (!BASE64URL.test(publicKey) || !BASE64URL.test(privateKey)) return false
  const publicBytes = Buffer.from(publicKey, 'base64url')
  const privateBytes = Buffer.from(privateKey, 'base64url')
  if (publicBytes.length !== 65 || publicBytes[0] !== 4 || privateBytes.length !== 32) return false
  try {
    const ecdh = createECDH('prime256v1')
    ecdh.setPrivateKey(privateBytes)
    return ecdh.getPublicKey().equals(publicBytes)
  }
  catch {
    return false
  }
}

/** web-push refuses any subject but a mailto: address or an https: URL. */
export function isVapidSubject(subject: string): boolean {
  return /^mailto:[^\s@]+@[^\s@]+$/.test(subject) || /^https:\/\/[^\s/]+/.test(subject)
}
