import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import * as v from 'valibot'
import { ThreadsEverywhereSchema } from '#shared/protocol'
import type { ChatMessage, FollowedThreads, ThreadPage, ThreadsEverywhere } from '#shared/protocol'
import { DEFAULT_HISTORY_PAGE } from '#shared/protocol-limits'
import { mentions } from '#shared/mentions'
import { mergeMessages } from '~/utils/timeline'
import { useConnectionStore } from './connection'
import { useMessagesStore } from './messages'
import { useSessionStore } from './session'

/** A thread's REST path; both parts encoded, since a link (`?thread=`) can carry any text. */
const threadPath = (room: string, rootId: string) => `/api/rooms/${encodeURIComponent(room)}/messages/${encodeURIComponent(rootId)}/thread`

/** A reply by someone else that the user has not read, in a thread they follow. */
interface UnreadReply { id: string, seq: number }

const isVisible = () => typeof document === 'undefined' || document.visibilityState === 'visible'

/**
 * Threads and replies: the thread open in the side panel (its root and pages of replies, read over REST, then kept
 * current by the room's `chat` and `update` events: a thread reply is a message of the room), the message the
 * room's composer quotes, and unread counts of the threads the user takes part in (started, replied to, or was
 * mentioned in). Counts are of reply ids, so a reply replayed after a reconnect is never counted twice. The server
 * keeps who follows which thread and where each user read it (`GET …/threads`, `thread-read`): the counts are read
 * for each room shown, and every tab hears when a thread is read in any of them.
 */
export const useThreadsStore = defineStore('threads', () => {
  const connection = useConnectionStore()
  const messages = useMessagesStore()
  const session = useSessionStore()
  /** The thread in the side panel; null when it is closed. */
  const open = ref<{ room: string, rootId: string } | null>(null)
  /** Roots as the thread pages brought them, by id (the room's timeline may not hold an old one). */
  const roots = ref<Record<string, ChatMessage>>({})
  /** Each loaded thread's replies, ascending seq. */
  const repliesByRoot = ref<Record<string, ChatMessage[]>>({})
  /** Threads whose first reply is loaded. */
  const exhausted = ref<string[]>([])
  /** The message each room's composer replies to. */
  const replyingTo = ref<Record<string, ChatMessage>>({})
  /** Threads the user replied to or was mentioned in (threads they started are known from their root). */
  const joined = ref<string[]>([])
  /** Per thread: replies by others not seen yet, in threads the user takes part in. */
  const unreadByRoot = ref<Record<string, UnreadReply[]>>({})
  /** The Threads page's list (root ids, as the server ordered them); null until read. */
  const everywhere = ref<string[] | null>(null)
  /** The last read of that list failed (the page says so). */
  const everywhereFailed = ref(false)
  /** Rooms whose followed threads were read from the server: read again after every reconnect. */
  const followedRooms = new Set<string>()
  /**
   * Per thread: the newest read place known, sent from here or heard from another tab. A reply at or before it
   * is never new again, even when a list read from the server before that read arrives after it.
   */
  const readPlaces = new Map<string, number>()
  /** The room of each thread with unread replies, to forget them when the user loses the room. */
  const threadRooms = new Map<string, string>()
  /** Per root: how many live updates replaced it, so that a list read before one cannot put an older copy back. */
  const rootVersions = new Map<string, number>()
  /** Bumped when the user goes (sign-out, another user): an answer read for the one before is dropped. */
  let generation = 0

  connection.on('chat', ({ type: _type, ...message }) => receive(message))
  connection.on('update', ({ message }) => replace(message))
  connection.on('thread-read', ({ rootId, seq }) => readUpTo(rootId, seq))
  // A mention reaches every connection of the user, also one not in its room: it counts in its thread all the same.
  connection.on('notification', ({ message }) => receive(message))
  connection.on('room-removed', ({ room }) => forgetRoom(room))
  connection.on('welcome', () => {
    void loadEverywhere()
    for (const room of followedRooms) void loadFollowed(room)
  })
  connection.onDisconnect(() => {
    generation++
    followedRooms.clear()
    readPlaces.clear()
    threadRooms.clear()
    rootVersions.clear()
    open.value = null
    roots.value = {}
    repliesByRoot.value = {}
    exhausted.value = []
    replyingTo.value = {}
    joined.value = []
    unreadByRoot.value = {}
    everywhere.value = null
    everywhereFailed.value = false
  })

  /** Threads with replies the user has not read, in every room heard of: the sidebar's count. */
  const unreadThreads = computed(() => Object.values(unreadByRoot.value).filter(unread => unread.length > 0).length)

  /** The root as freshest known: the room's timeline gets every update, the panel's copy those since it loaded. */
  function rootOf(room: string, rootId: string): ChatMessage | undefined {
    return messages.messagesOf(room).find(message => message.id === rootId) ?? roots.value[rootId]
  }

  function repliesOf(rootId: string): ChatMessage[] {
    return repliesByRoot.value[rootId] ?? []
  }

  function unreadOf(rootId: string): number {
    return unreadByRoot.value[rootId]?.length ?? 0
  }

  /** Whether `reply` is one of its thread's replies not seen yet. */
  function isUnread(reply: Pick<ChatMessage, 'id' | 'threadId'>): boolean {
    return reply.threadId !== undefined && (unreadByRoot.value[reply.threadId]?.some(unread => unread.id === reply.id) ?? false)
  }

  function takesPart(room: string, rootId: string): boolean {
    return joined.value.includes(rootId) || rootOf(room, rootId)?.user.id === session.user?.id
  }

  function join(rootId: string): void {
    if (!joined.value.includes(rootId)) joined.value = [...joined.value, rootId]
  }

  function receive(message: ChatMessage): void {
    const rootId = message.threadId
    if (rootId === undefined) return
    if (repliesByRoot.value[rootId]) repliesByRoot.value = { ...repliesByRoot.value, [rootId]: mergeMessages(repliesOf(rootId), [message]) }
    const me = session.user
    if (!me) return
    if (message.user.id === me.id || mentions(message.text, me.username)) join(rootId)
    if (message.user.id === me.id || !takesPart(message.room, rootId)) return
    if (open.value?.rootId === rootId && isVisible()) return sendRead(message.room, rootId, message.seq)
    addUnread(message.room, rootId, [{ id: message.id, seq: message.seq }])
  }

  function addUnread(room: string, rootId: string, replies: readonly UnreadReply[]): void {
    threadRooms.set(rootId, room)
    const unread = unreadByRoot.value[rootId] ?? []
    const readTo = readPlaces.get(rootId) ?? 0
    const added = replies.filter(reply => reply.seq > readTo && !unread.some(known => known.id === reply.id))
    if (added.length > 0) unreadByRoot.value = { ...unreadByRoot.value, [rootId]: [...unread, ...added] }
  }

  /** The thread was read up to `seq` (here or in another tab): its replies up to there are no longer new. */
  function readUpTo(rootId: string, seq: number): void {
    if (seq > (readPlaces.get(rootId) ?? 0)) readPlaces.set(rootId, seq)
    const unread = unreadByRoot.value[rootId]
    if (!unread) return
    const { [rootId]: _read, ...rest } = unreadByRoot.value
    const left = unread.filter(reply => reply.seq > seq)
    unreadByRoot.value = left.length > 0 ? { ...rest, [rootId]: left } : rest
  }

  /** Tells the server (and so the user's other tabs) how far the thread is read; only ever forwards. */
  function sendRead(room: string, rootId: string, seq: number): void {
    if (seq <= (readPlaces.get(rootId) ?? 0)) return
    readPlaces.set(rootId, seq)
    connection.send({ type: 'thread-read', room, rootId, seq })
  }

  /**
   * Reads the room's followed threads from the server, with their unread replies: counts survive a reload and
   * follow the user between devices. Replies heard live since stay counted unless the server has them read.
   */
  async function loadFollowed(room: string): Promise<void> {
    followedRooms.add(room)
    const asked = generation
    try {
      const { threads } = await $fetch<FollowedThreads>(`/api/rooms/${encodeURIComponent(room)}/threads`)
      if (asked !== generation) return
      for (const thread of threads) learnFollowed(room, thread)
    }
    catch (error) {
      console.warn(`[banter] could not read the followed threads of ${room}`, error)
    }
  }

  /**
   * Reads the threads the user follows in every room (on each welcome, and when the Threads page opens): their
   * counts then show in the sidebar whatever room is on screen, and stay live from the socket. False: not read.
   */
  async function loadEverywhere(): Promise<boolean> {
    const asked = generation
    const versions = new Map(rootVersions)
    try {
      const { threads } = v.parse(ThreadsEverywhereSchema, await $fetch('/api/threads'))
      if (asked !== generation) return false
      learnEverywhere(threads, versions)
      return true
    }
    catch (error) {
      console.warn('[banter] could not read the followed threads', error)
      if (asked === generation) everywhereFailed.value = true
      return false
    }
  }

  /**
   * The server's list of followed threads (the page reads it while rendering too). `versions`: the roots' versions
   * when it was asked for; a root updated live since keeps its newer copy.
   */
  function learnEverywhere(threads: ThreadsEverywhere['threads'], versions: ReadonlyMap<string, number> = rootVersions): void {
    for (const { root, ...thread } of threads) {
      if (rootVersions.get(root.id) === versions.get(root.id)) roots.value = { ...roots.value, [root.id]: root }
      learnFollowed(root.room, { rootId: root.id, ...thread })
    }
    everywhere.value = threads.map(thread => thread.root.id)
    everywhereFailed.value = false
  }

  /** A followed thread as the server has it: where the user read it, and the replies by others since. */
  function learnFollowed(room: string, thread: FollowedThreads['threads'][number]): void {
    join(thread.rootId)
    readUpTo(thread.rootId, thread.readSeq)
    if (open.value?.rootId === thread.rootId && isVisible()) return
    addUnread(room, thread.rootId, thread.unread)
  }

  /** The user lost the room (left it, or was taken out): its threads are no longer theirs to read. */
  function forgetRoom(room: string): void {
    const gone = new Set([...threadRooms].filter(([, inRoom]) => inRoom === room).map(([rootId]) => rootId))
    for (const root of Object.values(roots.value)) if (root.room === room) gone.add(root.id)
    if (gone.size === 0) return
    unreadByRoot.value = Object.fromEntries(Object.entries(unreadByRoot.value).filter(([rootId]) => !gone.has(rootId)))
    if (everywhere.value) everywhere.value = everywhere.value.filter(rootId => !gone.has(rootId))
    for (const rootId of gone) threadRooms.delete(rootId)
  }

  function replace(message: ChatMessage): void {
    rootVersions.set(message.id, (rootVersions.get(message.id) ?? 0) + 1)
    if (roots.value[message.id]) roots.value = { ...roots.value, [message.id]: message }
    const rootId = message.threadId
    // A deleted reply is no longer news.
    if (rootId !== undefined && message.deletedAt !== undefined && unreadByRoot.value[rootId]?.some(reply => reply.id === message.id)) {
      unreadByRoot.value = { ...unreadByRoot.value, [rootId]: unreadByRoot.value[rootId]!.filter(reply => reply.id !== message.id) }
    }
    if (rootId === undefined || !repliesByRoot.value[rootId]) return
    repliesByRoot.value = { ...repliesByRoot.value, [rootId]: repliesOf(rootId).map(reply => reply.id === message.id ? message : reply) }
  }

  function learn(page: ThreadPage): void {
    const { root, messages: replies } = page
    roots.value = { ...roots.value, [root.id]: root }
    repliesByRoot.value = { ...repliesByRoot.value, [root.id]: mergeMessages(repliesOf(root.id), replies) }
    if (replies.length < DEFAULT_HISTORY_PAGE && !exhausted.value.includes(root.id)) exhausted.value = [...exhausted.value, root.id]
    const me = session.user
    if (me && (replies.some(reply => reply.user.id === me.id) || root.thread?.repliers.some(user => user.id === me.id))) join(root.id)
  }

  /**
   * Opens a message's thread in the side panel: its newest replies, read over REST; its unread count goes. A thread
   * the server refuses (no such message in this room, say, from a link) closes again.
   */
  async function openThread(room: string, rootId: string): Promise<void> {
    open.value = { room, rootId }
    markRead(rootId)
    try {
      learn(await $fetch<ThreadPage>(threadPath(room, rootId), { query: { limit: DEFAULT_HISTORY_PAGE } }))
    }
    catch (error) {
      console.warn(`[banter] could not read the thread ${rootId} in ${room}`, error)
      const status = (error as { statusCode?: number }).statusCode ?? 0
      if (status >= 400 && status < 500 && open.value?.rootId === rootId && open.value.room === room) close()
    }
  }

  /** Pages in the replies before the oldest one loaded. */
  async function loadOlder(room: string, rootId: string): Promise<void> {
    const before = repliesOf(rootId)[0]?.seq
    if (before === undefined || exhausted.value.includes(rootId)) return
    learn(await $fetch<ThreadPage>(threadPath(room, rootId), { query: { before, limit: DEFAULT_HISTORY_PAGE } }))
  }

  function close(): void {
    open.value = null
  }

  /** The open thread is on screen: everything in it is read, here and, for the newest reply known, on the server. */
  function markRead(rootId: string): void {
    const unread = unreadByRoot.value[rootId] ?? []
    if (unreadByRoot.value[rootId]) {
      const { [rootId]: _read, ...rest } = unreadByRoot.value
      unreadByRoot.value = rest
    }
    const room = open.value?.rootId === rootId ? open.value.room : roots.value[rootId]?.room
    const newest = Math.max(0, ...repliesOf(rootId).map(reply => reply.seq), ...unread.map(reply => reply.seq))
    if (room !== undefined && newest > 0 && isVisible()) sendRead(room, rootId, newest)
  }

  /** The room's composer quotes `message` in the next message (null: no longer). */
  function replyTo(room: string, message: ChatMessage | null): void {
    const { [room]: _previous, ...rest } = replyingTo.value
    replyingTo.value = message ? { ...rest, [room]: message } : rest
  }

  return {
    open, roots, repliesByRoot, exhausted, replyingTo, joined, unreadByRoot, everywhere, everywhereFailed, unreadThreads,
    rootOf, repliesOf, unreadOf, isUnread, openThread, loadOlder, close, markRead, replyTo, loadFollowed, loadEverywhere, learnEverywhere,
  }
})
