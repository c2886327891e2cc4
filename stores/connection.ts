import { defineStore } from 'pinia'
import { ref } from 'vue'
import { decodeServerFrame, SOCKET_PATH } from '#shared/protocol'
import type { ClientEvent, ClientLimits, ServerEvent, ServerEventOf } from '#shared/protocol'
import { backoffDelay, DEFAULT_BACKOFF } from '~/utils/backoff'
import { closeAction, CLIENT_TIMEOUT_CODE, SILENT_INTERVALS } from '~/utils/close-policy'
import { useSessionStore } from './session'

export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'

/** A connection open this long counts as stable: the next drop starts the backoff from the beginning. */
export const STABLE_AFTER_MS = 10_000

/** Handles one server event; an `error` handler returns true when the error is about something it owns. */
export type ServerEventHandler<T extends ServerEvent['type']> = (event: ServerEventOf<T>) => unknown
type AnyHandler = (event: ServerEvent) => unknown

/**
 * The browser WebSocket and its life: status, backoff, offline, the silence watch, and sending.
 * The socket lives in this closure, never in returned state; nothing connects during server-side rendering.
 * The other stores subscribe to the events they own with `on`.
 */
export const useConnectionStore = defineStore('connection', () => {
  const session = useSessionStore()
  const status = ref<ConnectionStatus>('idle')
  /** When the next reconnect attempt starts (epoch ms), for the "reconnecting in N s" banner. */
  const reconnectAt = ref<number | null>(null)
  const offline = ref(false)
  /** Why the connection ended for good: the user must sign in again. */
  const needsSignIn = ref(false)
  /** The server's limits, from the latest `welcome`. */
  const limits = ref<ClientLimits | null>(null)
  /** The last error no store claimed, or why the connection stopped. */
  const lastError = ref<string | null>(null)

  let socket: WebSocket | null = null
  let attempt = 0
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null
  let stableTimer: ReturnType<typeof setTimeout> | null = null
  let silenceTimer: ReturnType<typeof setTimeout> | null = null
  let heartbeatMs = 0
  let welcomed = false
  let stopped = true
  let started = false
  /** Events that must not be lost, kept while the socket is down and sent right after the next welcome. */
  const waiting: ClientEvent[] = []
  const handlers = new Map<ServerEvent['type'], AnyHandler[]>()
  const startHandlers: Array<() => void> = []
  const disconnectHandlers: Array<() => void> = []

  /** Subscribes to one type of server event; handlers run in the order they subscribed. */
  function on<T extends ServerEvent['type']>(type: T, handler: ServerEventHandler<T>): void {
    const list = handlers.get(type) ?? []
    list.push(handler as AnyHandler)
    handlers.set(type, list)
  }

  /** Runs once the browser starts connecting (at once when it already has): for browser-only listeners. */
  function onStart(handler: () => void): void {
    startHandlers.push(handler)
    if (started) handler()
  }

  /** Runs on sign-out (or another user's welcome), so stores forget what belonged to that user. */
  function onDisconnect(handler: () => void): void {
    disconnectHandlers.push(handler)
  }

  /** Opens the socket (browser only) and keeps it open until `disconnect`. */
  function connect(): void {
    if (import.meta.server || typeof WebSocket === 'undefined') return
    stopped = false
    needsSignIn.value = false
    start()
    if (socket) return
    openSocket()
  }

  function openSocket(): void {
    clearReconnect()
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      offline.value = true
      status.value = 'reconnecting'
      return
    }
    status.value = attempt === 0 && status.value !== 'reconnecting' ? 'connecting' : 'reconnecting'
    welcomed = false
    const url = new URL(SOCKET_PATH, location.href)
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
    const ws = new WebSocket(url)
    socket = ws
    ws.onmessage = (event) => {
      if (socket !== ws) return
      watchSilence(ws)
      receive(String(event.data))
    }
    ws.onclose = event => onClose(ws, event.code)
  }

  /** A link can die without a close: after SILENT_INTERVALS heartbeats of silence, give up on the socket. */
  function watchSilence(ws: WebSocket): void {
    clearSilence()
    if (heartbeatMs <= 0) return
    silenceTimer = setTimeout(() => {
      if (socket !== ws) return
      console.warn('[banter] no frame for two heartbeat intervals: reconnecting')
      ws.close(CLIENT_TIMEOUT_CODE, 'silent')
      onClose(ws, CLIENT_TIMEOUT_CODE)
    }, heartbeatMs * SILENT_INTERVALS)
  }

  function onClose(ws: WebSocket, code: number): void {
    if (socket !== ws) return
    socket = null
    clearStable()
    clearSilence()
    const neverWelcomed = !welcomed
    welcomed = false
    if (stopped) {
      status.value = 'closed'
      return
    }
    const action = closeAction(code)
    if (action !== 'reconnect') {
      stop(action === 'sign-in')
      if (action === 'stop') lastError.value = `The server closed the connection (code ${code}). Reload the page to reconnect.`
      return
    }
    // An upgrade refused with 401 looks like any failed connection (1006) to a browser: ask the API why.
    if (neverWelcomed) void checkSignedIn()
    scheduleReconnect()
  }

  async function checkSignedIn(): Promise<void> {
    try {
      await $fetch('/api/session')
    }
    catch (error) {
      if ((error as { statusCode?: number }).statusCode === 401) stop(true)
    }
  }

  function scheduleReconnect(): void {
    status.value = 'reconnecting'
    if (offline.value) return // `online` reconnects at once
    const delay = backoffDelay(attempt++, DEFAULT_BACKOFF)
    reconnectAt.value = Date.now() + delay
    reconnectTimer = setTimeout(openSocket, delay)
  }

  function clearReconnect(): void {
    if (reconnectTimer) clearTimeout(reconnectTimer)
    reconnectTimer = null
    reconnectAt.value = null
  }

  function clearStable(): void {
    if (stableTimer) clearTimeout(stableTimer)
    stableTimer = null
  }

  function clearSilence(): void {
    if (silenceTimer) clearTimeout(silenceTimer)
    silenceTimer = null
  }

  /** Ends the connection for good: after sign-out, or when the server says the session is gone. */
  function stop(signInAgain: boolean): void {
    stopped = true
    clearReconnect()
    clearStable()
    clearSilence()
    needsSignIn.value = signInAgain
    status.value = 'closed'
    const ws = socket
    socket = null
    ws?.close(1000, 'client stopped')
  }

  /** Sign-out: closes the socket for good and forgets the user and whatever was waiting to be sent. */
  function disconnect(): void {
    stop(false)
    forgetUser()
  }

  function forgetUser(): void {
    session.user = null
    waiting.length = 0
    for (const handler of disconnectHandlers) handler()
  }

  function start(): void {
    if (started || typeof window === 'undefined') return
    started = true
    window.addEventListener('offline', () => {
      offline.value = true
      if (stopped) return
      // A socket on a dead network can stay "open" for minutes: drop it and wait for `online`.
      const ws = socket
      if (ws) {
        socket = null
        ws.close(1000, 'offline')
      }
      clearReconnect()
      status.value = 'reconnecting'
    })
    window.addEventListener('online', () => {
      offline.value = false
      if (stopped || socket) return
      attempt = 0
      openSocket()
    })
    for (const handler of startHandlers) handler()
  }

  /** Sends now, or returns false when the socket is down: for what every welcome restores anyway (joins, typing). */
  function sendNow(event: ClientEvent): boolean {
    if (!socket || socket.readyState !== WebSocket.OPEN || !welcomed) return false
    socket.send(JSON.stringify(event))
    return true
  }

  /** Sends now, or keeps the event until the socket is back: it goes out right after the next welcome's joins. */
  function send(event: ClientEvent): void {
    if (!sendNow(event)) waiting.push(event)
  }

  function receive(frame: string): void {
    const { events, invalid } = decodeServerFrame(frame)
    if (invalid.length > 0) console.warn('[banter] ignored invalid server events', invalid)
    for (const event of events) {
      if (event.type === 'welcome') onWelcome(event)
      const claimed = dispatch(event)
      if (event.type === 'welcome') flushWaiting()
      if (event.type === 'error' && !claimed) lastError.value = event.message
    }
  }

  function dispatch(event: ServerEvent): boolean {
    let claimed = false
    for (const handler of handlers.get(event.type) ?? []) {
      if (handler(event) === true) claimed = true
    }
    return claimed
  }

  function onWelcome(event: ServerEventOf<'welcome'>): void {
    // Someone else signed in on this tab (the last session ended elsewhere): nothing of the last user's goes on.
    if (session.user && session.user.id !== event.user.id) forgetUser()
    welcomed = true
    heartbeatMs = event.heartbeatMs
    limits.value = event.limits
    if (socket) watchSilence(socket)
    session.user = event.user
    status.value = 'open'
    reconnectAt.value = null
    clearStable()
    stableTimer = setTimeout(() => (attempt = 0), STABLE_AFTER_MS)
  }

  function flushWaiting(): void {
    const events = waiting.splice(0)
    for (const [index, event] of events.entries()) {
      if (!sendNow(event)) {
        waiting.unshift(...events.slice(index))
        return
      }
    }
  }

  function dismissError(): void {
    lastError.value = null
  }

  return {
    status, reconnectAt, offline, needsSignIn, limits, lastError,
    connect, disconnect, send, sendNow, on, onStart, onDisconnect, dismissError,
  }
})
