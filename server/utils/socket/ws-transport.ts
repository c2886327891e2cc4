import type { Socket } from 'node:net'
import { WebSocket } from 'ws'
import type { FramePayload, Transport } from './connection'
import { payloadFrame } from './ws-frames'
import { netSocketOf } from './private-fields'

/**
 * A connection's way out through its ws socket. Frames are built by ws-frames.ts and written straight to the
 * TCP socket under ws (private-fields.ts): with compression off, ws writes each of its own frames (pings,
 * close) synchronously and whole, so a frame written between two of them cannot interleave with either.
 */
export class WsTransport implements Transport {
  constructor(private readonly socket: WebSocket) {}

  private get raw(): Socket | null {
    return netSocketOf(this.socket)
  }

  /** A socket that is closing gets nothing, as with ws.send. */
  send(frames: readonly FramePayload[]): void {
    const raw = this.raw
    if (this.socket.readyState !== WebSocket.OPEN || !raw || raw.destroyed) return
    if (frames.length === 1) {
      raw.write(payloadFrame(frames[0]!))
      return
    }
    // Corked, the frames leave in one writev.
    raw.cork()
    for (const frame of frames) raw.write(payloadFrame(frame))
    raw.uncork()
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason)
  }

  bufferedAmount(): number {
    return this.raw?.writableLength ?? 0
  }

  ping(): void {
    this.socket.ping()
  }

  terminate(): void {
    this.socket.terminate()
  }
}
