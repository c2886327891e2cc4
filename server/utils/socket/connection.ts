import type { ServerEvent, User } from '#shared/protocol'
import { TokenBucket } from '../chat/token-bucket'
import type { ChatLimits } from '../chat/limits'
import { flushLater } from './flush-queue'
import { RoomRun, framesOf } from './room-turn'
import type { RoomTurn } from './room-turn'
import { log } from '../log/logger'

/** One text frame's content: UTF-8 encoded events (`bytes`: their total length), sent separated by `\n`. */
export interface FramePayload {
  readonly lines: readonly Buffer[]
  readonly bytes: number
  /** The same payload goes to many connections (a room's turn): frame it once. */
  readonly shared?: boolean
}

/** The transport a connection writes to: a ws socket in production (WsTransport), a fake in unit tests. */
export interface Transport {
  /** One text frame per payload, in order, in one write. */
  send(frames: readonly FramePayload[]): void
  close(code: number, reason: string): void
  /** Bytes written but not yet flushed to the network. */
  bufferedAmount(): number
  /** A WebSocket ping; the answer comes back through `Connection.pong`. */
  ping(): void
  /** Drops the socket without a closing handshake, for peers that stopped answering. */
  terminate(): void
}

/** An event as it goes on the wire: serialized and UTF-8 encoded once, however many connections it goes to. */
export function encodeEvent(event: ServerEvent): Buffer {
  return Buffer.from(JSON.stringify(event))
}

const SETTLED = Promise.resolve()
const NOOP = () => {}

/**
 * One client socket as the chat sees it: its outgoing queue (the events of one event-loop turn written in one
 * write, as NDJSON frames, so a burst costs one write per recipient instead of one per event), its inbox of
 * frames, its rate buckets and its liveness. Which rooms it is in is the Hub's (chat/hub.ts).
 */
export class Connection {
  /** Whether the tab is visible (the client says so); a user whose tabs are all hidden is away. */
  visible = true
  /** Set by `ping`, cleared by the pong (or any frame from the client). */
  private awaitingPong = false
  /** When the last frame went out, so heartbeats are only sent on otherwise silent connections. */
  lastSentAt = Date.now()
  // Everything below is created on first use: an idle connection should cost little more than its socket.
  private buckets: { message: TokenBucket, frame: TokenBucket, strike: TokenBucket } | null = null
  /** This turn's lines: its own, and runs of its rooms' shared turns. */
  private pending: (Buffer | RoomRun)[] | null = null
  /** This turn's acks, written after its room lines. */
  private acks: Buffer[] | null = null
  private closed = false
  /** Frames from this socket are handled one at a time, in arrival order: handling one is async (storage), and the next must not overtake it. */
  private inbox: Promise<void> = SETTLED
  /** Tasks that released the inbox but have not finished. */
  private readonly unsettled = new Set<Promise<void>>()

  constructor(
    readonly id: string,
    /** Who this is; replaced when they rename themselves (Hub.updateUser), so new messages carry the new name. */
    public user: User,
    private readonly transport: Transport,
    private readonly limits: Pick<ChatLimits, 'messagesPerSecond' | 'messageBurst' | 'framesPerSecond' | 'frameBurst' | 'abuseStrikes' | 'maxBufferedBytes'>,
    /** When the session behind this connection ends (epoch ms). */
    readonly expiresAt = Number.POSITIVE_INFINITY,
    /** The server-side session it was opened with (its hash): revoking the session closes it. */
    readonly sessionId = '',
  ) {}

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

  /** Queues an already encoded event; broadcasts encode once and share the line (room lines go through a RoomCursor). */
  sendLine(line: Buffer): void {
    if (this.closed) return
    this.pendingNow().push(line)
  }

  /** Queues line `index` of a room's turn; a connection sent the whole turn in a row gets its shared frame. */
  sendRoomLine(turn: RoomTurn, index: number): void {
    if (this.closed) return
    const pending = this.pendingNow()
    const last = pending[pending.length - 1]
    if (last instanceof RoomRun && last.turn === turn && last.to === index) last.to++
    else pending.push(new RoomRun(turn, index))
  }

  /**
   * Queues the ack of a stored message. Acks go after the turn's room lines (the room's `chat` event, then its
   * ack, as the client expects), so they do not split the room's shared frame.
   */
  sendAck(event: ServerEvent): void {
    if (this.closed) return
    this.pendingNow()
    ;(this.acks ??= []).push(encodeEvent(event))
  }

  private pendingNow(): (Buffer | RoomRun)[] {
    if (this.pending) return this.pending
    flushLater(this)
    return (this.pending = [])
  }

  /**
   * Runs `task` once every task queued before it has settled or called its `release` (what of it had to
   * happen in order has happened: a message holds its place in the storage's queue, and its write may overlap
   * the next frames'); a failing task does not stop the queue. Settles (or fails) with the task.
   */
  enqueue(task: (release: () => void) => Promise<void>): Promise<void> {
    let release!: () => void
    const released = new Promise<void>(resolve => (release = resolve))
    let done!: Promise<void>
    const start = () => {
      done = task(release)
      const settled = done.then(NOOP, NOOP)
      this.unsettled.add(settled)
      void settled.then(() => this.unsettled.delete(settled))
      return Promise.race([released, settled])
    }
    this.inbox = this.inbox.then(start, start)
    return this.inbox.then(() => done)
  }

  /** Settles once every frame received so far has been handled, released ones included. */
  async drained(): Promise<void> {
    await this.inbox.then(NOOP, NOOP)
    await Promise.all(this.unsettled)
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
    this.dropQueued()
    this.transport.close(code, reason)
  }

  /** Marks the connection gone (the socket closed on its own) so nothing more is queued. */
  markClosed(): void {
    this.closed = true
    this.dropQueued()
  }

  private dropQueued(): void {
    this.pending = null
    this.acks = null
  }

  /** Writes what was queued, in one write; called once per turn by `flushWaiting`, and before a close. */
  flush(now = Date.now()): void {
    if (!this.pending || this.closed) return
    // A reader that cannot keep up would make us buffer without bound: let it go and resume later.
    if (this.transport.bufferedAmount() > this.limits.maxBufferedBytes) {
      log.warn('socket-slow-consumer', `closing a slow consumer: ${this.transport.bufferedAmount()} bytes buffered`, { connection: this.id, userId: this.user.id })
      this.dropQueued()
      this.close(1013, 'too slow: reconnect and resume')
      return
    }
    const frames = framesOf(this.pending, this.acks ?? [])
    this.dropQueued()
    this.lastSentAt = now
    this.transport.send(frames)
  }
}

