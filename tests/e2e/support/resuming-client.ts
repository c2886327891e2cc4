import WebSocket from 'ws'
import { decodeServerFrame } from '#shared/protocol'
import type { ServerEvent } from '#shared/protocol'
import { track } from './open-sockets'

/**
 * A client that behaves like the real store on a bad network: it reconnects after any drop, resumes its
 * room after the last seq it holds, and re-sends unacknowledged messages under their clientId.
 * It records every violation of the delivery promise (a gap, a duplicate, a reordering) as it happens.
 */
export class ResumingClient {
  /** Seqs in the order they arrived: must be exactly 1, 2, 3, … */
  readonly seqs: number[] = []
  readonly clientIdBySeq = new Map<number, string>()
  readonly violations: string[] = []
  readonly outbox = new Map<string, string>()
  reconnects = 0
  private socket: WebSocket | null = null
  /** True once `join` went out on the current socket: chats sent after it are handled after it. */
  private joinSent = false
  private stopped = false
  private waiters: { check: () => boolean, resolve: () => void }[] = []
  private sent = 0

  constructor(
    private readonly url: () => string,
    readonly cookie: string,
    private readonly room: string,
    readonly name: string,
  ) {}

  get lastSeq(): number {
    return this.seqs.at(-1) ?? 0
  }

  /** Connects, and reconnects after every drop until `stop`; the file's afterEach stops it (open-sockets.ts). */
  start(): void {
    track({ close: () => this.stop() })
    this.open()
  }

  /** Drops the connection the way a network failure would: no closing handshake. */
  drop(): void {
    this.socket?.terminate()
  }

  stop(): void {
    this.stopped = true
    this.socket?.close()
  }

  send(): void {
    const clientId = `${this.name}-${this.sent++}`
    const text = `message ${clientId}`
    this.outbox.set(clientId, text)
    if (this.joinSent && this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'chat', room: this.room, text, clientId }))
  }

  get sentCount(): number {
    return this.sent
  }

  /** Resolves once `check` holds; checked after every event. */
  until(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve()
    return new Promise(resolve => this.waiters.push({ check, resolve }))
  }

  private open(): void {
    if (this.stopped) return
    const base = this.url()
    this.joinSent = false
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/_ws`, { headers: { cookie: this.cookie, origin: base } })
    this.socket = socket
    socket.on('message', data => this.receive(socket, data.toString()))
    socket.on('error', () => {}) // a refused or reset connection is followed by `close`
    socket.on('close', () => {
      if (this.socket !== socket || this.stopped) return
      this.socket = null
      this.reconnects++
      // The server may be restarting: try again shortly, with jitter.
      setTimeout(() => this.open(), 20 + Math.random() * 80)
    })
  }

  private receive(socket: WebSocket, frame: string): void {
    for (const event of decodeServerFrame(frame).events) this.handle(socket, event)
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.check()) return true
      waiter.resolve()
      return false
    })
  }

  private handle(socket: WebSocket, event: ServerEvent): void {
    switch (event.type) {
      case 'welcome':
        socket.send(JSON.stringify({ type: 'join', room: this.room, after: this.lastSeq }))
        this.joinSent = true
        for (const [clientId, text] of this.outbox) socket.send(JSON.stringify({ type: 'chat', room: this.room, text, clientId }))
        return
      case 'joined':
        if (event.recovered !== true) this.violations.push(`not recovered at ${this.lastSeq}: ${JSON.stringify(event)}`)
        return
      case 'chat':
        if (event.seq !== this.lastSeq + 1) this.violations.push(`expected seq ${this.lastSeq + 1}, got ${event.seq}`)
        if (event.seq <= this.lastSeq) return
        this.seqs.push(event.seq)
        this.clientIdBySeq.set(event.seq, event.clientId)
        return
      case 'ack':
        this.outbox.delete(event.clientId)
        return
      case 'error':
        this.violations.push(`error: ${JSON.stringify(event)}`)
    }
  }
}
