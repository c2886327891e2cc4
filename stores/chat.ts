import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { decodeServerFrame } from '#shared/protocol'
import { timeOrderedId } from '#shared/time-ordered-id'
import type { ChatMessage, HistoryPage, Room, RoomList, ServerEvent, ServerEventOf, User } from '#shared/protocol'
import { backoffDelay, DEFAULT_BACKOFF } from '~/utils/backoff'
import { closeAction, CLIENT_TIMEOUT_CODE, SILENT_INTERVALS } from '~/utils/close-policy'
import { lastSeqOf, mergeMessages } from '~/utils/timeline'
import { createRoomActivity } from './room-activity'

export type ConnectionStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed'

/** A message the user wrote that the server has not acknowledged yet. */
export interface OutboxItem {
  clientId: string
  room: string
  text: string
  createdAt: number
  state: 'pending' | 'failed'
  error?: string
}

/** A connection open this long counts as stable: the next drop starts the backoff from the beginning. */
export const STABLE_AFTER_MS = 10_000
/** Catch-up pages fetched after a reconnect before giving up and reloading the room's newest page. */
const MAX_CATCH_UP_PAGES = 10
const PAGE_SIZE = 100
/** Refusals that are about the moment, not the message: the outbox keeps the message and tries again. */
const RETRYABLE_CODES = new Set(['rate_limited', 'unavailable'])
const UNAVAILABLE_RETRY_MS = 2000



/** The larger of two values per key, so a stale answer never moves a seq back. */
function maxEach(current: Record<string, number>, incoming: Record<string, number> = {}): Record<string, number> {
  const result: Record<string, number> = {}
  for (const [key, value] of Object.entries(incoming)) result[key] = Math.max(value, current[key] ?? 0)
  return result
}

/**
 * The chat's client state around one browser WebSocket. The socket itself lives in this closure,
 * never in reactive state; nothing connects during server-side rendering.
 */
export const useChatStore = defineStore('chat', () => {
  const user = ref<User | null>(null)
  const status = ref<ConnectionStatus>('idle')
  /** When the next reconnect attempt starts (epoch ms), for the "reconnecting in N s" banner. */
  const reconnectAt = ref<number | null>(null)
  const offline = ref(false)
  /** Why the connection ended for good: the user must sign in again. */
  const needsSignIn = ref(false)
  const rooms = ref<Room[]>([])
  const messagesByRoom = ref<Record<string, ChatMessage[]>>({})
  const outbox = ref<OutboxItem[]>([])
  const activity = createRoomActivity(sendEvent, user)
  /** The last error the server sent that is not about one outbox message. */
  const lastError = ref<string | null>(null)

  let socket: WebSocket | null = null
  let attempt = 0
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null
  let stableTimer: ReturnType<typeof setTimeout> | null = null
  let silenceTimer: ReturnType<typeof setTimeout> | null = null
  let heartbeatMs = 0
  let welcomed = false
  let stopped = true
  let listening = false
  /** Rooms this client wants to be in; re-joined after every reconnect. */
  const wantedRooms = new Set<string>()
  /** Rooms whose newest page has been loaded, so catching up can start from their last seq. */
  const loadedRooms = new Set<string>()
  /**
   * Every room's newest seq this client knows of (from the room list, or live), and the user's read
   * markers: the difference is the unread count. The client stays joined to every room for it.
   */
  const roomLastSeq = ref<Record<string, number>>({})
  const readSeq = ref<Record<string, number>>({})
  /** The room on screen: it alone is marked read as messages arrive. */
  const openRoom = ref<string | null>(null)
  /** Rooms whose oldest message is loaded (reactive: the "load older" control depends on it). */
  const exhaustedRooms = ref<string[]>([])
  const loadingOlder = new Set<string>()
  /** Rooms followed for unread counts only, with the seq they were followed from. */
  const backgroundRooms = new Map<string, number>()
  /** A connection may join this many rooms (the server's default limit is 50). */
  const MAX_FOLLOWED_ROOMS = 45

  const pendingCount = computed(() => outbox.value.filter(item => item.state === 'pending').length)

  function messagesOf(room: string): ChatMessage[] {
    return messagesByRoom.value[room] ?? []
  }

  function outboxOf(room: string): OutboxItem[] {
    return outbox.value.filter(item => item.room === room)
  }

  /** Opens the socket (browser only) and keeps it open until `disconnect`. */
  function connect(): void {
    if (import.meta.server || typeof WebSocket === 'undefined') return
    stopped = false
    needsSignIn.value = false
    listenToNetwork()
    if (socket) return
    open()
  }

  function open(): void {
    clearReconnect()
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      offline.value = true
      status.value = 'reconnecting'
      return
    }
    status.value = attempt === 0 && status.value !== 'reconnecting' ? 'connecting' : 'reconnecting'
    welcomed = false
    const url = new URL('/_ws', location.href)
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
    if (silenceTimer) clearTimeout(silenceTimer)
    silenceTimer = null
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
    if (silenceTimer) clearTimeout(silenceTimer)
    silenceTimer = null
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
    reconnectTimer = setTimeout(open, delay)
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

  /** Ends the connection for good: after sign-out, or when the server says the session is gone. */
  function stop(signInAgain: boolean): void {
    stopped = true
    clearReconnect()
    clearStable()
    if (silenceTimer) clearTimeout(silenceTimer)
    silenceTimer = null
    needsSignIn.value = signInAgain
    status.value = 'closed'
    const ws = socket
    socket = null
    ws?.close(1000, 'client stopped')
  }

  function disconnect(): void {
    stop(false)
    user.value = null
    wantedRooms.clear()
  }

  function listenToNetwork(): void {
    if (listening || typeof window === 'undefined') return
    listening = true
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
    activity.watchBrowser()
    window.addEventListener('online', () => {
      offline.value = false
      if (stopped || socket) return
      attempt = 0
      open()
    })
  }

  function sendEvent(event: object): boolean {
    if (!socket || socket.readyState !== WebSocket.OPEN || !welcomed) return false
    socket.send(JSON.stringify(event))
    return true
  }

  function receive(frame: string): void {
    const { events, invalid } = decodeServerFrame(frame)
    if (invalid.length > 0) console.warn('[banter] ignored invalid server events', invalid)
    for (const event of events) handle(event)
  }

  function handle(event: ServerEvent): void {
    switch (event.type) {
      case 'welcome':
        return onWelcome(event)
      case 'joined':
        return void onJoined(event)
      case 'chat':
        activity.setTyping(event.room, event.user, false)
        return addMessages(event.room, [stripType(event)])
      case 'ack':
        return onAck(event)
      case 'error':
        return onError(event)
      case 'room':
        if (!rooms.value.some(room => room.name === event.room.name)) {
          rooms.value = [...rooms.value, event.room].sort((a, b) => a.name.localeCompare(b.name))
          if (wantedRooms.size < MAX_FOLLOWED_ROOMS) follow(event.room.name)
        }
        return
      case 'update':
        return replaceMessage(event.message)
      case 'notification':
        return activity.onMention(event.message)
      case 'read':
        if (event.seq > (readSeq.value[event.room] ?? 0)) readSeq.value = { ...readSeq.value, [event.room]: event.seq }
        return
      case 'presence':
        return activity.onPresence(event)
      case 'typing':
        return activity.onTyping(event)
      case 'system':
        return activity.addNotice(event)
      case 'left':
      case 'heartbeat':
        return // heartbeats only prove the link is alive
    }
  }

  function onWelcome(event: ServerEventOf<'welcome'>): void {
    welcomed = true
    heartbeatMs = event.heartbeatMs
    if (socket) watchSilence(socket)
    user.value = event.user
    status.value = 'open'
    reconnectAt.value = null
    clearStable()
    stableTimer = setTimeout(() => (attempt = 0), STABLE_AFTER_MS)
    activity.onWelcome()
    // Rooms created while this client was away arrive as `room` events only to those connected then.
    void refreshRooms()
    // Each room resumes after the last seq this client holds: the server replays the gap, then goes live.
    for (const room of wantedRooms) sendEvent(joinEvent(room))
    // Joins go first on this socket and the server handles its frames in order, so these land in joined rooms.
    for (const item of outbox.value) {
      if (item.state === 'pending') sendEvent({ type: 'chat', room: item.room, text: item.text, clientId: item.clientId })
    }
  }

  /** An edit, delete or reaction: the stored message replaces the one shown (same seq). */
  function replaceMessage(message: ChatMessage): void {
    const current = messagesOf(message.room)
    const index = current.findIndex(item => item.id === message.id)
    if (index === -1) return // not loaded here: history will bring the changed version
    const next = [...current]
    next[index] = message
    messagesByRoom.value = { ...messagesByRoom.value, [message.room]: next }
  }

  /** Asks to edit, delete or react to a message; the room sees the result as an `update`. */
  function editMessage(room: string, id: string, text: string): void {
    sendEvent({ type: 'edit', room, id, text })
  }

  function deleteMessage(room: string, id: string): void {
    sendEvent({ type: 'delete', room, id })
  }

  function toggleReaction(room: string, id: string, emoji: string): void {
    sendEvent({ type: 'react', room, id, emoji })
  }

  function onAck(event: ServerEventOf<'ack'>): void {
    const item = outbox.value.find(entry => entry.clientId === event.clientId)
    if (!item) return
    outbox.value = outbox.value.filter(entry => entry !== item)
    // The room's `chat` event normally came first in the same frame; the ack alone is enough to show it.
    if (user.value && !messagesOf(item.room).some(message => message.id === event.id)) {
      addMessages(item.room, [{
        room: item.room, id: event.id, seq: event.seq, user: user.value, text: item.text, ts: event.ts, clientId: item.clientId,
      }])
    }
  }

  function onError(event: ServerEventOf<'error'>): void {
    const item = event.ref ? outbox.value.find(entry => entry.clientId === event.ref) : undefined
    if (item && RETRYABLE_CODES.has(event.code)) {
      // Still pending: try again once the server will take it (rate limit passed, storage back).
      setTimeout(() => resend(item.clientId), event.retryAfter ?? UNAVAILABLE_RETRY_MS)
      return
    }
    if (item) {
      outbox.value = outbox.value.map(entry => entry === item ? { ...entry, state: 'failed', error: event.message } : entry)
      return
    }
    lastError.value = event.message
  }

  function addMessages(room: string, messages: ChatMessage[]): void {
    const newest = messages.reduce((max, message) => Math.max(max, message.seq), 0)
    if (newest > (roomLastSeq.value[room] ?? 0)) roomLastSeq.value = { ...roomLastSeq.value, [room]: newest }
    const merged = mergeMessages(messagesOf(room), messages)
    if (merged !== messagesByRoom.value[room]) messagesByRoom.value = { ...messagesByRoom.value, [room]: merged }
    const sentIds = new Set(messages.filter(message => message.user.id === user.value?.id).map(message => message.clientId))
    if (sentIds.size > 0) outbox.value = outbox.value.filter(item => !sentIds.has(item.clientId))
  }

  /**
   * Resumes a room after the newest seq the client holds. A room never loaded but known from the room list
   * (a background room, followed only for its unread count) resumes after its listed seq: nothing is replayed.
   */
  function joinEvent(room: string) {
    if (loadedRooms.has(room)) return { type: 'join', room, after: lastSeqOf(messagesOf(room)) }
    if (backgroundRooms.has(room)) return { type: 'join', room, after: Math.max(backgroundRooms.get(room)!, lastSeqOf(messagesOf(room))) }
    return { type: 'join', room }
  }

  function onJoined(event: ServerEventOf<'joined'>): void {
    if (event.lastSeq > (roomLastSeq.value[event.room] ?? 0)) roomLastSeq.value = { ...roomLastSeq.value, [event.room]: event.lastSeq }
    // A background room only needs its newest seq (for the unread count); its history loads when it is opened.
    if (backgroundRooms.has(event.room)) return
    if (event.recovered === false) {
      // Too far behind for the server to replay: start the room again from its newest page.
      messagesByRoom.value = { ...messagesByRoom.value, [event.room]: [] }
      void loadLatest(event.room).catch(error => console.warn(`[banter] could not reload ${event.room}`, error))
      return
    }
    void catchUp(event.room, event.lastSeq)
  }

  /** Fills whatever is still missing up to the server's last seq over REST (after a plain join, or a first visit). */
  async function catchUp(room: string, serverLastSeq: number): Promise<void> {
    try {
      if (!loadedRooms.has(room)) return await loadLatest(room)
      for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
        const after = lastSeqOf(messagesOf(room))
        if (after >= serverLastSeq) return
        const { messages } = await $fetch<HistoryPage>(`/api/rooms/${room}/messages`, { query: { after, limit: PAGE_SIZE } })
        if (messages.length === 0) return
        addMessages(room, messages)
      }
      // Too far behind to page through: start again from the newest page.
      messagesByRoom.value = { ...messagesByRoom.value, [room]: [] }
      await loadLatest(room)
    }
    catch (error) {
      console.warn(`[banter] could not catch up on ${room}`, error)
    }
  }

  async function loadLatest(room: string): Promise<void> {
    const { messages } = await $fetch<HistoryPage>(`/api/rooms/${room}/messages`, { query: { limit: PAGE_SIZE } })
    setHistory(room, messages)
  }

  /** Seeds a room with history fetched elsewhere (the page's server-rendered `useFetch`). */
  function setHistory(room: string, messages: ChatMessage[]): void {
    loadedRooms.add(room)
    addMessages(room, messages)
  }

  /** False once the room's first message is loaded: there is nothing older to page in. */
  function hasOlder(room: string): boolean {
    const first = messagesOf(room)[0]
    return !exhaustedRooms.value.includes(room) && (first === undefined ? !loadedRooms.has(room) : first.seq > 1)
  }

  /** Pages in the messages before the oldest one shown (`before=`); true when any arrived. */
  async function loadOlder(room: string, limit = 50): Promise<boolean> {
    if (!hasOlder(room) || loadingOlder.has(room)) return false
    loadingOlder.add(room)
    try {
      const before = messagesOf(room)[0]?.seq
      const { messages } = await $fetch<HistoryPage>(`/api/rooms/${room}/messages`, { query: { ...(before ? { before } : {}), limit } })
      if (messages.length < limit) exhaustedRooms.value = [...exhaustedRooms.value, room]
      loadedRooms.add(room)
      addMessages(room, messages)
      return messages.length > 0
    }
    finally {
      loadingOlder.delete(room)
    }
  }

  async function refreshRooms(): Promise<void> {
    try {
      const answer = await $fetch<RoomList>('/api/rooms')
      if (Array.isArray(answer?.rooms)) setRooms(answer.rooms, answer)
    }
    catch (error) {
      console.warn('[banter] could not refresh the room list', error)
    }
  }

  /** Sets the room list; with the seqs of `GET /api/rooms`, also the unread counts, and follows every room. */
  function setRooms(list: Room[], seqs?: Pick<RoomList, 'lastSeq' | 'read'>): void {
    // Rooms are never deleted: a list fetched earlier (a cached useFetch) must not drop rooms learnt since.
    const byName = new Map(rooms.value.map(room => [room.name, room]))
    for (const room of list) byName.set(room.name, room)
    rooms.value = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))
    if (!seqs) return
    roomLastSeq.value = { ...roomLastSeq.value, ...maxEach(roomLastSeq.value, seqs.lastSeq) }
    // A room never read counts only what arrives from now on: a newcomer is not greeted with all of history as unread.
    const firstSight: Record<string, number> = {}
    for (const room of list) {
      if (seqs.read[room.name] === undefined && readSeq.value[room.name] === undefined) firstSight[room.name] = seqs.lastSeq[room.name] ?? 0
    }
    readSeq.value = { ...readSeq.value, ...firstSight, ...maxEach(readSeq.value, seqs.read) }
    for (const room of rooms.value.slice(0, MAX_FOLLOWED_ROOMS)) follow(room.name)
  }

  /** Joins a room in the background so its unread count stays live. */
  function follow(room: string): void {
    if (wantedRooms.has(room)) return
    if (!loadedRooms.has(room)) backgroundRooms.set(room, roomLastSeq.value[room] ?? 0)
    wantedRooms.add(room)
    sendEvent(joinEvent(room))
  }

  /** The room on screen: joined (if it was not followed yet) and marked read as its messages arrive. */
  function join(room: string): void {
    openRoom.value = room
    backgroundRooms.delete(room)
    if (wantedRooms.has(room)) return
    wantedRooms.add(room)
    sendEvent(joinEvent(room))
  }

  /** Leaving the screen keeps the room followed, for its unread count. */
  function leave(room: string): void {
    if (openRoom.value === room) openRoom.value = null
  }

  function unreadCount(room: string): number {
    return Math.max(0, (roomLastSeq.value[room] ?? 0) - (readSeq.value[room] ?? 0))
  }

  const totalUnread = computed(() => rooms.value.reduce((total, room) => total + unreadCount(room.name), 0))

  /** Marks the open room read up to its newest message; the server tells this user's other tabs. */
  function markRead(room: string): void {
    const seq = Math.max(roomLastSeq.value[room] ?? 0, lastSeqOf(messagesOf(room)))
    if (seq <= (readSeq.value[room] ?? 0)) return
    readSeq.value = { ...readSeq.value, [room]: seq }
    sendEvent({ type: 'read', room, seq })
  }

  /** Queues a message: shown at once as pending, sent now or after the next reconnect. */
  function send(room: string, text: string): OutboxItem {
    activity.sentMessage(room)
    // Time-ordered, so the server's dedupe index (led by clientId) grows at its end.
    const item: OutboxItem = { clientId: timeOrderedId(), room, text, createdAt: Date.now(), state: 'pending' }
    outbox.value = [...outbox.value, item]
    sendEvent({ type: 'chat', room, text, clientId: item.clientId })
    return item
  }

  /** Sends a failed message again under the same clientId, so the server stores it at most once. */
  function retry(clientId: string): void {
    const item = outbox.value.find(entry => entry.clientId === clientId)
    if (!item) return
    const pending: OutboxItem = { ...item, state: 'pending', error: undefined }
    outbox.value = outbox.value.map(entry => entry === item ? pending : entry)
    resend(clientId)
  }

  function resend(clientId: string): void {
    const item = outbox.value.find(entry => entry.clientId === clientId)
    if (item?.state === 'pending') sendEvent({ type: 'chat', room: item.room, text: item.text, clientId })
  }

  function discard(clientId: string): void {
    outbox.value = outbox.value.filter(entry => entry.clientId !== clientId)
  }

  function dismissError(): void {
    lastError.value = null
  }

  return {
    user, status, reconnectAt, offline, needsSignIn, rooms, messagesByRoom, outbox, lastError, pendingCount,
    messagesOf, outboxOf, connect, disconnect, join, leave, send, retry, discard, setHistory, setRooms, dismissError,
    hasOlder, loadOlder, exhaustedRooms, ...activity.state, ...activity.actions,
    roomLastSeq, readSeq, openRoom, unreadCount, totalUnread, markRead, editMessage, deleteMessage, toggleReaction,
  }
})

function stripType({ type: _type, ...message }: ServerEventOf<'chat'>): ChatMessage {
  return message
}
