import WebSocket from 'ws'
import { decodeServerFrame } from '#shared/protocol'
import type { ServerEvent } from '#shared/protocol'
import { track } from './open-sockets'

/** Signs in over REST and returns the session cookie and the user. */
export async function signIn(baseURL: string, name: string): Promise<{ cookie: string, user: { id: string, name: string, username: string } }> {
  const response = await fetch(`${baseURL}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  if (!response.ok) throw new Error(`sign-in as ${name} failed: ${response.status} ${await response.text()}`)
  const { user } = await response.json()
  return { cookie: cookieOf(response), user }
}

/** Creates an account with a password over REST and returns its session cookie and user. */
export async function register(baseURL: string, username: string, password = 'correct horse battery', extra: Record<string, unknown> = {}): Promise<{ cookie: string, user: { id: string, name: string, username: string }, role: string }> {
  const response = await fetch(`${baseURL}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, ...extra }),
  })
  if (response.status !== 201) throw new Error(`registering ${username} failed: ${response.status} ${await response.text()}`)
  const { user, role } = await response.json()
  return { cookie: cookieOf(response), user, role }
}

/** Signs in with a password; answers the response and the new cookie (empty when refused). */
export async function logIn(baseURL: string, username: string, password: string, cookie = ''): Promise<{ response: Response, cookie: string }> {
  const response = await fetch(`${baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie && { cookie }) },
    body: JSON.stringify({ username, password }),
  })
  return { response, cookie: cookieOf(response) }
}

/** The cookies a response sets, as a Cookie header. */
export function cookieOf(response: Response): string {
  return response.headers.getSetCookie().map(header => header.split(';')[0]).join('; ')
}

/** A name no other test uses, so tests sharing one server do not collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`
}

type Predicate = (event: ServerEvent) => boolean

/**
 * A real WebSocket client that records every event the server sends and lets a test
 * wait for the one it expects (no sleeps: each wait resolves on the event or fails on a timeout).
 */
export class ChatClient {
  /** Events received and not yet consumed by `next`. */
  readonly events: ServerEvent[] = []
  /** Every event received, in order. */
  readonly log: ServerEvent[] = []
  readonly frames: string[] = []
  private waiters: { predicate: Predicate, resolve: (event: ServerEvent) => void }[] = []
  readonly closed: Promise<{ code: number, reason: string }>

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = data.toString()
      this.frames.push(frame)
      for (const event of decodeServerFrame(frame).events) this.receive(event)
    })
    this.closed = new Promise(resolve => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })))
  }

  /** Opens a socket and waits for `welcome`; the file's afterEach closes it (open-sockets.ts). */
  static async connect(baseURL: string, cookie: string, headers: Record<string, string> = {}): Promise<ChatClient> {
    const socket = new WebSocket(`${baseURL.replace(/^http/, 'ws')}/_ws`, { headers: { cookie, origin: baseURL, ...headers } })
    const client = track(new ChatClient(socket))
    await Promise.race([
      client.next(event => event.type === 'welcome'),
      new Promise((_, reject) => socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)))),
      new Promise((_, reject) => socket.once('error', reject)),
    ])
    return client
  }

  /** Resolves with the first event (already received or still to come) that matches. */
  next(predicate: Predicate, timeoutMs = 5000): Promise<ServerEvent> {
    const seen = this.events.find(predicate)
    if (seen) {
      this.events.splice(this.events.indexOf(seen), 1)
      return Promise.resolve(seen)
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (event: ServerEvent) => {
          clearTimeout(timer)
          resolve(event)
        },
      }
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter(entry => entry !== waiter)
        reject(new Error(`no matching event within ${timeoutMs} ms; received: ${JSON.stringify(this.events.slice(-10)).slice(0, 2000)}`))
      }, timeoutMs)
      this.waiters.push(waiter)
    })
  }

  nextOfType<T extends ServerEvent['type']>(type: T, match: (event: Extract<ServerEvent, { type: T }>) => boolean = () => true, timeoutMs?: number) {
    return this.next(event => event.type === type && match(event as Extract<ServerEvent, { type: T }>), timeoutMs) as Promise<Extract<ServerEvent, { type: T }>>
  }

  send(event: unknown): void {
    this.socket.send(typeof event === 'string' ? event : JSON.stringify(event))
  }

  async join(room: string): Promise<number> {
    this.send({ type: 'join', room })
    return (await this.nextOfType('joined', event => event.room === room)).lastSeq
  }

  close(): void {
    // Closing a socket still connecting (a refused upgrade) reports an error: nothing to handle.
    this.socket.on('error', () => {})
    this.socket.close()
  }

  private receive(event: ServerEvent): void {
    this.log.push(event)
    const waiter = this.waiters.find(entry => entry.predicate(event))
    if (waiter) {
      this.waiters = this.waiters.filter(entry => entry !== waiter)
      waiter.resolve(event)
      return
    }
    this.events.push(event)
  }
}

/** Creates a room with a unique name over REST. */
export async function createRoom(baseURL: string, cookie: string, prefix = 'room'): Promise<string> {
  const name = uniqueName(prefix)
  const response = await fetch(`${baseURL}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name }),
  })
  if (response.status !== 201) throw new Error(`creating ${name} failed: ${response.status}`)
  return name
}

/** A new user with an open socket, joined to `room` when one is given. */
export async function connectedUser(baseURL: string, prefix: string, room?: string) {
  const { cookie, user } = await signIn(baseURL, uniqueName(prefix))
  const client = await ChatClient.connect(baseURL, cookie)
  if (room) await client.join(room)
  return { cookie, user, client }
}
