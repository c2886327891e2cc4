/** What the client does after its socket closes with a given code. */
export type CloseAction = 'reconnect' | 'sign-in' | 'stop'

/**
 * 1008 (policy) means the session is over: reconnecting cannot help until the user signs in again.
 * Protocol violations (1002, 1003, 1007, 1009, 1010) mean this client is broken: reconnecting would repeat it.
 * Everything else (1001 going away, 1006 dropped, 1011 server error, 1012 restart, 1013 try later,
 * a heartbeat timeout) is worth another try.
 */
export function closeAction(code: number): CloseAction {
  if (code === 1008) return 'sign-in'
  if ([1002, 1003, 1007, 1009, 1010].includes(code)) return 'stop'
  return 'reconnect'
}

/** The client closes a socket that stayed silent this many heartbeat intervals. */
export const SILENT_INTERVALS = 2

/** Close code the client uses for a socket it gave up on (application range 4000-4999). */
export const CLIENT_TIMEOUT_CODE = 4000
