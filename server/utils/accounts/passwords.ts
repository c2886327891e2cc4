import { httpError } from '../request-input'

/** NIST SP 800-63B: at least 8 characters, long passphrases welcome; the upper bound only caps hashing work. */
export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 256

/** Refuses a password too short, too long, or equal to the username (the first thing a guesser tries). */
export function requireAcceptablePassword(password: string, username: string): void {
  const length = [...password].length
  if (length < MIN_PASSWORD_LENGTH) throw httpError(400, 'weak_password', `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`)
  if (length > MAX_PASSWORD_LENGTH) throw httpError(400, 'weak_password', `A password is at most ${MAX_PASSWORD_LENGTH} characters.`)
  if (password.toLowerCase() === username.toLowerCase()) throw httpError(400, 'weak_password', 'A password cannot be your username.')
}
