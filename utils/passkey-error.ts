/**
 * The sentence for a WebAuthn failure in the browser itself (the user closed the prompt, no passkey matched,
 * the device refused), or null when the failure came from the server (see apiErrorMessage).
 */
export function passkeyErrorMessage(error: unknown): string | null {
  const name = (error as { name?: unknown, cause?: { name?: unknown } } | null)?.cause?.name ?? (error as { name?: unknown } | null)?.name
  if (name === 'NotAllowedError' || name === 'AbortError') return 'The passkey prompt was closed or timed out, or no passkey matched.'
  if (name === 'InvalidStateError') return 'This device already holds a passkey for your account.'
  if (name === 'NotSupportedError' || name === 'SecurityError') return 'This browser cannot use passkeys here.'
  return null
}
