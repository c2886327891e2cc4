import { afterAll, afterEach, TestRunner } from 'vitest'
import type WebSocket from 'ws'

/** Anything a test opens that holds a socket. */
interface Closable {
  close: () => unknown
}

const openedByTests = new Set<Closable>()
const openedBySuites = new Set<Closable>()
let registered = false

/**
 * Closes, in one afterEach, every socket a test of the calling file opened (crossws's test/_utils.ts style),
 * so a failed assertion never leaks one; sockets a beforeAll opened are closed in afterAll. Call it once at
 * the top of each e2e file that opens sockets: ChatClient, RawClient and ResumingClient register themselves.
 */
export function closeSocketsAfterEach(): void {
  registered = true
  afterEach(() => closeAll(openedByTests))
  afterAll(() => closeAll(openedBySuites))
}

/** Records a socket for the file's afterEach (or afterAll, when opened outside a test) and returns it. */
export function track<T extends Closable>(socket: T): T {
  // Vitest evaluates support modules afresh for each test file, so this flag is per file.
  if (!registered) throw new Error('this test file opens sockets: call closeSocketsAfterEach() at its top')
  const owner = TestRunner.getCurrentTest() ? openedByTests : openedBySuites
  owner.add(socket)
  return socket
}

/** Records a bare `ws` socket, which may still be connecting: terminating one then reports an error, ignored here. */
export function trackWebSocket(socket: WebSocket): WebSocket {
  track({
    close: () => {
      socket.on('error', () => {})
      socket.terminate()
    },
  })
  return socket
}

async function closeAll(sockets: Set<Closable>): Promise<void> {
  const closing = [...sockets].map(socket => socket.close())
  sockets.clear()
  await Promise.all(closing)
}
