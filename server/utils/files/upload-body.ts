import type { IncomingMessage } from 'node:http'
import type { H3Event } from 'h3'
import { ChatError } from '../chat/chat-error'

/**
 * Reads an upload's raw body, refusing it (413 file_too_large) as soon as it passes `maxBytes`: a declared
 * Content-Length over the limit is refused before a byte is read, and a body that runs past it anyway is
 * stopped mid-stream, so nobody can make the server buffer more than the limit.
 */
export async function readUploadBody(event: H3Event, maxBytes: number): Promise<Buffer> {
  const request = event.node.req
  const tooLarge = () => {
    // Stop keeping the body; the 413 goes out, then the connection closes instead of reading the rest. No
    // `connection: close`: Node would then destroy the socket the moment the answer is written (see below).
    // (Not a for-await loop: leaving one destroys the socket before the answer is written.)
    request.pause()
    event.node.res.once('finish', () => closeAfterLinger(request))
    return new ChatError('file_too_large', `A file is at most ${maxBytes} bytes.`)
  }
  const declared = Number(getRequestHeader(event, 'content-length') ?? Number.NaN)
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge()

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let received = 0
    const onData = (chunk: Buffer) => {
      received += chunk.length
      if (received > maxBytes) {
        cleanUp()
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanUp()
      resolve(Buffer.concat(chunks))
    }
    const onError = (error: Error) => {
      cleanUp()
      reject(error)
    }
    // A client that goes away mid-upload leaves nothing behind.
    const onClose = () => onError(new Error('the upload was aborted'))
    const cleanUp = () => {
      request.off('data', onData)
      request.off('end', onEnd)
      request.off('error', onError)
      request.off('close', onClose)
    }
    request.on('data', onData)
    request.once('end', onEnd)
    request.once('error', onError)
    request.once('close', onClose)
  })
}

/** How long a refused upload's client may go on sending (thrown away) after its answer, before its socket is cut. */
const LINGER_MS = 2000

/**
 * Closes the connection of a refused upload without losing its answer. Destroying a socket that still has unread
 * bytes makes the kernel send a reset, and a reset can discard the answer on the client's side before the client
 * reads it (a 413 that never arrived, about 1 time in 3 here). So: end our side, throw away what still comes, and
 * cut the socket only after a short linger (nginx's lingering close).
 */
function closeAfterLinger(request: IncomingMessage): void {
  const { socket } = request
  socket.end()
  request.resume()
  const cut = setTimeout(() => request.destroy(), LINGER_MS)
  cut.unref()
  socket.once('close', () => clearTimeout(cut))
}
