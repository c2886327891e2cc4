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
    // Stop reading; the 413 goes out, then the connection is closed instead of draining the rest of the body.
    // (Not a for-await loop: leaving one destroys the socket before the answer is written.)
    request.pause()
    setResponseHeader(event, 'connection', 'close')
    event.node.res.once('finish', () => request.destroy())
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
