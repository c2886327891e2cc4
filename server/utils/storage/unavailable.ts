/** Storage has not opened yet (PostgreSQL down at start-up): banter keeps trying, and answers 503 meanwhile. */
export class StorageNotReady extends Error {
  constructor() {
    super('storage is not open yet: the database could not be reached at start-up, banter keeps trying')
    this.name = 'StorageNotReady'
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'])
const POOL_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Cannot use a pool after calling end/

/**
 * True when a storage error means "the database cannot be reached right now" (worth retrying),
 * as opposed to a bug or a refused write: network errors, PostgreSQL connection (08…), shutdown (57P…)
 * and resource (53…) states, and pg-pool's own connection errors.
 */
export function isStorageUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  if (error instanceof StorageNotReady) return true
  const code = (error as Error & { code?: unknown }).code
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || /^(08|57P|53)/.test(code))) return true
  return POOL_MESSAGES.test(error.message)
}
