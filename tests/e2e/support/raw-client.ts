import { createHash, randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { connect } from 'node:net'
import type { Socket } from 'node:net'
import type { ServerEvent } from '#shared/protocol'
import { buildFrame, closeCodeOf, closePayload, closeReasonOf, FrameParser, OPCODE } from './raw-frames'
import type { FrameOptions, ServerFrame } from './raw-frames'
import { track } from './open-sockets'

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'

/** The server's close frame: `code` is null when the frame carried no status. */
export interface ServerClose {
  code: number | null
  reason: string
}

interface Waiter<T> {
  match: (item: T) => boolean
  resolve: (item: T) => void
}

/**
 * A WebSocket client on a bare TCP socket: it performs the HTTP upgrade itself and then
 * writes whatever bytes a test asks for. Server frames are parsed and kept; text frames
 * are split into NDJSON events. Every wait resolves on what it waits for or fails on a timeout.
 */
export class RawClient {
  /** Every frame the server sent, in order (text, binary, pong, close…). */
  readonly frames: ServerFrame[] = []
  /** Application events not yet consumed by `nextEvent`. */
  readonly events: ServerEvent[] = []
  /** Resolves with the server's close frame. */
  readonly closeFrame: Promise<ServerClose>
  /** Resolves once the TCP connection is fully closed. */
  readonly ended: Promise<void>
  private parser = new FrameParser()
  private frameWaiters: Waiter<ServerFrame>[] = []
  private eventWaiters: Waiter<ServerEvent>[] = []
  private sentClose = false
  private resolveClose!: (close: ServerClose) => void

  private constructor(readonly socket: Socket, leftover: Buffer) {
    this.closeFrame = new Promise(resolve => (this.resolveClose = resolve))
    this.ended = new Promise(resolve => socket.once('close', () => resolve()))
    // Writes after the server hung up fail with EPIPE/ECONNRESET; the test looks at the close instead.
    socket.on('error', () => {})
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    if (leftover.length) this.receive(leftover)
  }

  /**
   * Opens `/_ws` with the session cookie and the app's Origin, checks the handshake, waits for `welcome`.
   * The file's afterEach closes it (open-sockets.ts); a refused handshake destroys the socket at once.
   */
  static async connect(baseURL: string, cookie: string, { timeoutMs = 5000 } = {}): Promise<RawClient> {
    const url = new URL(baseURL)
    const key = randomBytes(16).toString('base64')
    const socket = connect({ host: url.hostname, port: Number(url.port) })
    const request = [
      'GET /_ws HTTP/1.1',
      `Host: ${url.host}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`,
      'Sec-WebSocket-Version: 13',
      `Origin: ${url.origin}`,
      `Cookie: ${cookie}`,
      '', '',
    ].join('\r\n')
    try {
      return await RawClient.handshake(socket, request, key, timeoutMs)
    }
    catch (error) {
      socket.destroy()
      throw error
    }
  }

  private static async handshake(socket: Socket, request: string, key: string, timeoutMs: number): Promise<RawClient> {
    const { head, leftover } = await withTimeout(readHandshake(socket, request), timeoutMs, 'no handshake answer')
    const [statusLine, ...lines] = head.split('\r\n')
    const headers = new Map(lines.map((line) => {
      const colon = line.indexOf(':')
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()] as const
    }))
    const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64')
    if (!/^HTTP\/1\.1 101 /.test(statusLine!)) throw new Error(`upgrade refused: ${statusLine}`)
    if (headers.get('upgrade')?.toLowerCase() !== 'websocket') throw new Error(`bad Upgrade header: ${headers.get('upgrade')}`)
    if (headers.get('sec-websocket-accept') !== accept) throw new Error(`bad Sec-WebSocket-Accept: ${headers.get('sec-websocket-accept')}, expected ${accept}`)
    if (headers.has('sec-websocket-extensions')) throw new Error(`unexpected extensions: ${headers.get('sec-websocket-extensions')}`)
    const client = track(new RawClient(socket, leftover))
    await client.nextEvent(event => event.type === 'welcome', timeoutMs)
    return client
  }

  /** Writes one frame built from `options`. */
  send(options: FrameOptions): void {
    if (options.opcode === OPCODE.close) this.sentClose = true
    this.write(buildFrame(options))
  }

  sendText(text: string): void {
    this.send({ opcode: OPCODE.text, payload: text })
  }

  sendEvent(event: unknown): void {
    this.sendText(JSON.stringify(event))
  }

  /** Writes raw bytes (several frames, or one frame in pieces). */
  write(bytes: Uint8Array): boolean {
    if (this.socket.destroyed || this.socket.writableEnded) return false
    return this.socket.write(bytes)
  }

  /** Writes `bytes` in pieces of `size`, each flushed before the next, so the server reads a frame in parts. */
  async writeInChops(bytes: Uint8Array, size: number): Promise<void> {
    this.socket.setNoDelay(true)
    for (let offset = 0; offset < bytes.length; offset += size) {
      await new Promise<void>((resolve, reject) => this.socket.write(bytes.subarray(offset, offset + size), error => (error ? reject(error) : resolve())))
    }
  }

  /** Resolves with the first frame (received or still to come) that matches; it is not consumed. */
  nextFrame(match: (frame: ServerFrame) => boolean, timeoutMs = 5000): Promise<ServerFrame> {
    const seen = this.frames.find(match)
    if (seen) return Promise.resolve(seen)
    return wait(this.frameWaiters, match, timeoutMs, () => `no matching frame; frames: ${this.describeFrames()}`)
  }

  /** Resolves with the first unconsumed event that matches, and consumes it. */
  nextEvent(match: (event: ServerEvent) => boolean, timeoutMs = 5000): Promise<ServerEvent> {
    const index = this.events.findIndex(match)
    if (index >= 0) return Promise.resolve(this.events.splice(index, 1)[0]!)
    return wait(this.eventWaiters, match, timeoutMs, () => `no matching event; frames: ${this.describeFrames()}`)
  }

  nextOfType<T extends ServerEvent['type']>(type: T, match: (event: Extract<ServerEvent, { type: T }>) => boolean = () => true, timeoutMs?: number) {
    return this.nextEvent(event => event.type === type && match(event as Extract<ServerEvent, { type: T }>), timeoutMs) as Promise<Extract<ServerEvent, { type: T }>>
  }

  /** Resolves with the server's close frame, failing after `timeoutMs`. */
  expectClose(timeoutMs = 5000): Promise<ServerClose> {
    return withTimeout(this.closeFrame, timeoutMs, `no close frame; frames: ${this.describeFrames()}`)
  }

  /** Sends a close (unless one was sent) and waits for the TCP connection to end. */
  async close(timeoutMs = 5000): Promise<void> {
    if (!this.sentClose) this.send({ opcode: OPCODE.close, payload: closePayload(1000) })
    await withTimeout(this.ended, timeoutMs, 'the connection did not end').catch(() => this.socket.destroy())
  }

  describeFrames(): string {
    return JSON.stringify(this.frames.slice(-8).map(frame => frame.opcode === OPCODE.close
      ? { close: closeCodeOf(frame), reason: closeReasonOf(frame) }
      : { opcode: frame.opcode, payload: frame.payload.subarray(0, 200).toString() }))
  }

  private receive(chunk: Buffer): void {
    for (const frame of this.parser.push(chunk)) {
      this.frames.push(frame)
      if (frame.opcode === OPCODE.text) {
        for (const line of frame.payload.toString().split('\n')) this.deliver(this.eventWaiters, this.events, JSON.parse(line))
      }
      else if (frame.opcode === OPCODE.ping) {
        // Answer the server's heartbeat like any client would.
        this.write(buildFrame({ opcode: OPCODE.pong, payload: frame.payload }))
      }
      else if (frame.opcode === OPCODE.close) {
        this.resolveClose({ code: closeCodeOf(frame), reason: closeReasonOf(frame) })
        // Complete the closing handshake (RFC 6455 5.5.1), then let the server close TCP.
        if (!this.sentClose) this.send({ opcode: OPCODE.close, payload: frame.payload.subarray(0, 2) })
        this.socket.end()
      }
      this.deliver(this.frameWaiters, null, frame)
    }
  }

  private deliver<T>(waiters: Waiter<T>[], queue: T[] | null, item: T): void {
    const index = waiters.findIndex(waiter => waiter.match(item))
    if (index >= 0) {
      waiters.splice(index, 1)[0]!.resolve(item)
      return
    }
    queue?.push(item)
  }
}

function readHandshake(socket: Socket, request: string): Promise<{ head: string, leftover: Buffer }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0)
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
      const end = received.indexOf('\r\n\r\n')
      if (end < 0) return
      socket.off('data', onData)
      socket.off('error', reject)
      resolve({ head: received.subarray(0, end).toString(), leftover: received.subarray(end + 4) })
    }
    socket.on('data', onData)
    socket.once('error', reject)
    socket.once('connect', () => socket.write(request))
  })
}

function wait<T>(waiters: Waiter<T>[], match: (item: T) => boolean, timeoutMs: number, describe: () => string): Promise<T> {
  return new Promise((resolve, reject) => {
    const waiter: Waiter<T> = {
      match,
      resolve: (item) => {
        clearTimeout(timer)
        resolve(item)
      },
    }
    const timer = setTimeout(() => {
      waiters.splice(waiters.indexOf(waiter), 1)
      reject(new Error(`${describe()} (after ${timeoutMs} ms)`))
    }, timeoutMs)
    waiters.push(waiter)
  })
}

export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${message} (after ${timeoutMs} ms)`)), timeoutMs))),
  ]).finally(() => clearTimeout(timer))
}

/** The server's resident set size in bytes, from /proc (Linux). */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status)
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`)
  return Number(match[1]) * 1024
}
