import type { ServerEvent, User } from '#shared/protocol'

/** The transport a connection writes to: a crossws peer in production, a fake in unit tests. */
export interface Transport {
  send(frame: string): void
  close(code: number, reason: string): void
}

/**
 * One client socket as the chat sees it. Outgoing events are queued and written as one
 * NDJSON frame per event-loop turn, so a burst costs one write per recipient instead of one per event.
 */
export class Connection {
  readonly rooms = new Set<string>()
  private pending: string[] = []
  private closed = false
  /** Frames from this socket are handled one at a time, in arrival order (crossws 0.3 does not serialize hooks). */
  private inbox: Promise<void> = Promise.resolve()

  constructor(
    readonly id: string,
    readonly user: User,
    private readonly transport: Transport,
  ) {}

  send(event: ServerEvent): void {
    this.sendLine(JSON.stringify(event))
  }

  /** Queues an already serialized event; broadcasts serialize once and share the line. */
  sendLine(line: string): void {
    if (this.closed) return
    if (this.pending.length === 0) setImmediate(() => this.flush())
    this.pending.push(line)
  }

  /** Runs `task` after every task queued before it; a failing task does not stop the queue. */
  enqueue(task: () => Promise<void>): Promise<void> {
    this.inbox = this.inbox.then(task, task)
    return this.inbox
  }

  close(code: number, reason: string): void {
    if (this.closed) return
    this.flush()
    this.closed = true
    this.transport.close(code, reason)
  }

  /** Marks the connection gone (the socket closed on its own) so nothing more is queued. */
  markClosed(): void {
    this.closed = true
    this.pending = []
  }

  private flush(): void {
    if (this.pending.length === 0 || this.closed) return
    const frame = this.pending.join('\n')
    this.pending = []
    this.transport.send(frame)
  }
}
