import type { ServerEvent, User } from '#shared/protocol'
import { TokenBucket } from '../chat/token-bucket'
import type { ChatLimits } from '../chat/limits'
import { flushLater } from './flush-queue'

/** The transport a connection writes to: a ws socket in production (WsTransport), a fake in unit tests. */
export interface Transport {
  /** One text frame holding `lines` (UTF-8 encoded events; `bytes` is their total length) separated by `\n`. */
  send(lines: readonly Buffer[], bytes: number): void
  close(code: number, reason: string): void
  /** Bytes written but not yet flushed to the network. */
  bufferedAmount(): number
  /** A WebSocket ping; the answer comes back through `Connection.pong`. */
  ping(): void
  /** Drops the socket without a closing handshake, for peers that stopped answering. */
  terminate(): void
}

/** A line waiting for a room's replay to finish; `seq` is set for chat events. */
interface HeldLine {
  seq: number | undefined
  line: Buffer
}

/** An event as it goes on the wire: serialized and UTF-8 encoded once, however many connections it goes to. */
export function encodeEvent(event: ServerEvent): Buffer {
  return Buffer.from(JSON.stringify(event))
}

const NO_ROOMS: ReadonlySet<string> = new Set()
const SETTLED = Promise.resolve()

/**
 * One client socket as the chat sees it. Outgoing events are queued and written as one
 * NDJSON frame per event-loop turn, so a burst costs one write per recipient instead of one per event.
 */
export class Connection {
  /** Whether the tab is visible (the client says so); a user whose tabs are all hidden is away. */
  visible = true
  /** Set by `ping`, cleared by the pong (or any frame from the client). */
  private awaitingPong = false
  /** When the last frame went out, so heartbeats are only sent on otherwise silent connections. */
  lastSentAt = Date.now()
  // Everything below is created on first use: an idle connection should cost little more than its socket.
  private joinedRooms: Set<string> | null = null
  private buckets: { message: TokenBucket, frame: TokenBucket, strike: TokenBucket } | null = null
  private pending: Buffer[] | null = null
  private pendingBytes = 0
  private closed = false
  /** Frames from this socket are handled one at a time, in arrival order (crossws 0.3 does not serialize hooks). */
  private inbox: Promise<void> = SETTLED
  /** Live events of rooms being replayed to this connection, delivered after the replay. */
  private held: Map<string, HeldLine[]> | null = null
  /** The last seq this connection was sent per room: a message is never sent twice, nor after a newer one. */
  private sentSeq: Map<string, number> | null = null

  constructor(
    readonly id: string,
    readonly user: User,
    private readonly transport: Transport,
    private readonly limits: Pick<ChatLimits, 'messagesPerSecond' | 'messageBurst' | 'framesPerSecond' | 'frameBurst' | 'abuseStrikes' | 'maxBufferedBytes'>,
    /** When the session behind this connection ends (epoch ms). */
    readonly expiresAt = Number.POSITIVE_INFINITY,
  ) {}

  get rooms(): ReadonlySet<string> {
    return this.joinedRooms ?? NO_ROOMS
  }

  /** Adds a room; false when it was already there. Only the Hub calls this, keeping its index in step. */
  addRoom(room: string): boolean {
    const rooms = (this.joinedRooms ??= new Set())
    if (rooms.has(room)) return false
    rooms.add(room)
    return true
  }

  removeRoom(room: string): boolean {
    return this.joinedRooms?.delete(room) ?? false
  }

  // A bucket starts full and never holds more, so making it at its first use changes nothing.
  get messageBucket(): TokenBucket {
    return this.bucketsNow().message
  }

  get frameBucket(): TokenBucket {
    return this.bucketsNow().frame
  }

  /** Refused frames; a connection that empties it is abusive and is closed. */
  get strikeBucket(): TokenBucket {
    return this.bucketsNow().strike
  }

  private bucketsNow() {
    if (this.buckets) return this.buckets
    const { messageBurst, messagesPerSecond, frameBurst, framesPerSecond, abuseStrikes } = this.limits
    const now = Date.now()
    return (this.buckets = {
      message: new TokenBucket(messageBurst, messagesPerSecond, now),
      frame: new TokenBucket(frameBurst, framesPerSecond, now),
      strike: new TokenBucket(abuseStrikes, abuseStrikes > 0 ? 1 : 0, now),
    })
  }

  get isClosed(): boolean {
    return this.closed
  }

  send(event: ServerEvent): void {
    this.sendLine(encodeEvent(event))
  }

  /** Queues an already encoded event; broadcasts encode once and share the line. */
  sendLine(line: Buffer): void {
    if (this.closed) return
    if (!this.pending) {
      this.pending = []
      flushLater(this)
    }
    this.pending.push(line)
    this.pendingBytes += line.length
  }

  /** Queues a room's event, or holds it while that room's history is being replayed to this connection. */
  sendRoomLine(room: string, seq: number | undefined, line: Buffer): void {
    const held = this.held?.get(room)
    if (held) {
      held.push({ seq, line })
      return
    }
    if (seq !== undefined) {
      const sentSeq = (this.sentSeq ??= new Map())
      if (seq <= (sentSeq.get(room) ?? 0)) return
      sentSeq.set(room, seq)
    }
    this.sendLine(line)
  }

  /** From now on, live events of `room` wait until `release` (subscribe before reading: no gap at the seam). */
  hold(room: string): void {
    const held = (this.held ??= new Map())
    if (!held.has(room)) held.set(room, [])
  }

  /** Delivers what was held for `room`, minus the messages the replay already covered (seq <= `coveredSeq`). */
  release(room: string, coveredSeq: number): void {
    const held = this.held?.get(room)
    this.held?.delete(room)
    const sentSeq = (this.sentSeq ??= new Map())
    sentSeq.set(room, Math.max(sentSeq.get(room) ?? 0, coveredSeq))
    for (const { seq, line } of held ?? []) this.sendRoomLine(room, seq, line)
  }

  /** Runs `task` after every task queued before it; a failing task does not stop the queue. */
  enqueue(task: () => Promise<void>): Promise<void> {
    this.inbox = this.inbox.then(task, task)
    return this.inbox
  }

  /** Settles once every frame received so far has been handled. */
  drained(): Promise<void> {
    return this.inbox.then(() => undefined, () => undefined)
  }

  /** Sends a ping unless the previous one is still unanswered; false means the peer is dead. */
  ping(): boolean {
    if (this.awaitingPong) return false
    this.awaitingPong = true
    this.transport.ping()
    return true
  }

  pong(): void {
    this.awaitingPong = false
  }

  terminate(): void {
    this.markClosed()
    this.transport.terminate()
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.flush()
    this.closed = true
    this.pending = null
    this.pendingBytes = 0
    this.transport.close(code, reason)
  }

  /** Marks the connection gone (the socket closed on its own) so nothing more is queued. */
  markClosed(): void {
    this.closed = true
    this.pending = null
    this.pendingBytes = 0
    this.held = null
  }

  /** Writes what was queued as one frame; called once per turn by `flushWaiting`, and before a close. */
  flush(now = Date.now()): void {
    if (!this.pending || this.closed) return
    // A reader that cannot keep up would make us buffer without bound: let it go and resume later.
    if (this.transport.bufferedAmount() > this.limits.maxBufferedBytes) {
      console.warn(`[banter] closing slow consumer ${this.id} (${this.user.name}): ${this.transport.bufferedAmount()} bytes buffered`)
      this.pending = null
      this.pendingBytes = 0
      this.close(1013, 'too slow: reconnect and resume')
      return
    }
    const lines = this.pending
    const bytes = this.pendingBytes
    this.pending = null
    this.pendingBytes = 0
    this.lastSentAt = now
    this.transport.send(lines, bytes)
  }
}

