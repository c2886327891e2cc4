import type { WebSocket } from 'ws'
import type { Transport } from './connection'
import { bufferedBytes, writeTextFrame } from './ws-frames'

/** A connection's way out through its ws socket: hand-built frames, buffered bytes, ping, close. */
export class WsTransport implements Transport {
  constructor(private readonly socket: WebSocket) {}

  send(lines: readonly Buffer[], bytes: number): void {
    writeTextFrame(this.socket, lines, bytes)
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason)
  }

  bufferedAmount(): number {
    return bufferedBytes(this.socket)
  }

  ping(): void {
    this.socket.ping()
  }

  terminate(): void {
    this.socket.terminate()
  }
}
