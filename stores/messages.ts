import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { ChatMessage, HistoryPage, ServerEventOf } from '#shared/protocol'
import { DEFAULT_HISTORY_PAGE, MAX_HISTORY_LIMIT } from '#shared/protocol-limits'
import { lastSeqOf, mergeMessages } from '~/utils/timeline'
import type { EditRequest } from '~/utils/composer'
import { useConnectionStore } from './connection'

/** Catch-up pages fetched after a reconnect before giving up and reloading the room's newest page. */
const MAX_CATCH_UP_PAGES = 10
/** Pages fetched to join a jumped-to message's surroundings to the loaded timeline; further back, the room is detached. */
const MAX_JUMP_GAP_PAGES = 3
const PAGE_SIZE = MAX_HISTORY_LIMIT

/**
 * Each room's timeline: live messages, history pages (newest, older, catch-up after a reconnect) and changes
 * to stored messages. Edits, deletes and reactions go through the connection's send, which keeps them while
 * the socket is down; the room sees the result as an `update`.
 */
export const useMessagesStore = defineStore('messages', () => {
  const connection = useConnectionStore()
  const messagesByRoom = ref<Record<string, ChatMessage[]>>({})
  /** Rooms whose oldest message is loaded (reactive: the "load older" control depends on it). */
  const exhaustedRooms = ref<string[]>([])
  /** Rooms whose newest page has been loaded, so catching up can start from their last seq. */
  const loadedRooms = new Set<string>()
  const loadingOlder = new Set<string>()
  /** The message a jump (a search result) landed on, shown highlighted until the next jump. */
  const highlighted = ref<{ room: string, seq: number } | null>(null)
  /**
   * Edits sent (or waiting for the socket, which keeps them until it is back) whose update has not come yet, by
   * message id: the message shows its new text at once, marked as not saved yet. Kept in memory only, like the
   * socket's queue: a reload while offline loses them, and the mark said so.
   */
  const pendingEdits = ref<Record<string, string>>({})
  /** A message the keyboard asked to edit (Arrow Up in an empty composer); its ChatMessage opens its editor and clears it. */
  const editRequested = ref<EditRequest | null>(null)
  /**
   * Rooms showing older history with no way down to the newest (a jump too far back): live messages are not merged
   * in (they would leave a hole), and `showLatest` loads the newest page again.
   */
  const detachedRooms = ref<string[]>([])

  connection.on('chat', ({ type: _type, ...message }) => addMessages(message.room, [message]))
  connection.on('update', (event) => {
    replaceMessage(event.message)
    // Only its own update settles an edit: a reaction or a pin meanwhile carries the old text.
    const pending = pendingEdits.value[event.message.id]
    if (pending !== undefined && (event.message.text === pending || event.message.deletedAt)) settleEdit(event.message.id)
  })
  // A refused edit names its message (`ref`); the stored text shows again.
  connection.on('error', (event) => {
    if (event.ref) settleEdit(event.ref)
  })
  connection.onDisconnect(() => {
    pendingEdits.value = {}
    messagesByRoom.value = {}
    exhaustedRooms.value = []
    detachedRooms.value = []
    loadedRooms.clear()
  })

  function messagesOf(room: string): ChatMessage[] {
    return messagesByRoom.value[room] ?? []
  }

  /** The newest seq this client holds for a room, 0 when none. */
  function lastSeq(room: string): number {
    return lastSeqOf(messagesOf(room))
  }

  function isLoaded(room: string): boolean {
    return loadedRooms.has(room)
  }

  /** Whether the room's timeline holds the message sent under this clientId. */
  function holds(room: string, clientId: string): boolean {
    return messagesOf(room).some(message => message.clientId === clientId)
  }

  /** Live messages and acks; a detached room takes none (they would leave a hole before them). */
  function addMessages(room: string, messages: ChatMessage[]): void {
    if (!detachedRooms.value.includes(room)) merge(room, messages)
  }

  function merge(room: string, messages: ChatMessage[]): void {
    const merged = mergeMessages(messagesOf(room), messages)
    if (merged !== messagesByRoom.value[room]) messagesByRoom.value = { ...messagesByRoom.value, [room]: merged }
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

  /** The user is no longer in the room: nothing of it stays in memory. */
  function forgetRoom(room: string): void {
    const { [room]: _gone, ...rest } = messagesByRoom.value
    messagesByRoom.value = rest
    exhaustedRooms.value = exhaustedRooms.value.filter(name => name !== room)
    detachedRooms.value = detachedRooms.value.filter(name => name !== room)
    loadedRooms.delete(room)
  }

  /**
   * Brings a message and its surroundings into the room's timeline and highlights it (a search result's click):
   * the page around it, joined to what is loaded by the pages in between, or on its own when that is too far.
   */
  async function jumpTo(room: string, seq: number): Promise<void> {
    highlighted.value = { room, seq }
    if (messagesOf(room).some(message => message.seq === seq)) return
    const { messages: around } = await $fetch<HistoryPage>(`/api/rooms/${room}/messages`, { query: { around: seq, limit: DEFAULT_HISTORY_PAGE } })
    if (detachedRooms.value.includes(room)) {
      messagesByRoom.value = { ...messagesByRoom.value, [room]: around }
      return
    }
    const oldest = messagesOf(room)[0]?.seq
    const joined = [...around]
    for (let page = 0; oldest !== undefined && (joined.at(-1)?.seq ?? seq) + 1 < oldest && page < MAX_JUMP_GAP_PAGES; page++) {
      const after = joined.at(-1)?.seq ?? seq
      const { messages: next } = await $fetch<HistoryPage>(`/api/rooms/${room}/messages`, { query: { after, limit: PAGE_SIZE } })
      if (next.length === 0) break
      joined.push(...next)
    }
    if (oldest === undefined || (joined.at(-1)?.seq ?? seq) + 1 >= oldest) {
      loadedRooms.add(room)
      merge(room, joined)
      return
    }
    messagesByRoom.value = { ...messagesByRoom.value, [room]: around }
    exhaustedRooms.value = exhaustedRooms.value.filter(name => name !== room)
    if (!detachedRooms.value.includes(room)) detachedRooms.value = [...detachedRooms.value, room]
  }

  /** Leaves a detached room's old history for its newest page, where live messages arrive again. */
  async function showLatest(room: string): Promise<void> {
    const { messages } = await $fetch<HistoryPage>(`/api/rooms/${room}/messages`, { query: { limit: PAGE_SIZE } })
    exhaustedRooms.value = exhaustedRooms.value.filter(name => name !== room)
    setHistory(room, messages)
  }

  function editMessage(room: string, id: string, text: string): void {
    pendingEdits.value = { ...pendingEdits.value, [id]: text }
    connection.send({ type: 'edit', room, id, text })
  }

  function settleEdit(id: string): void {
    if (!(id in pendingEdits.value)) return
    const { [id]: _settled, ...rest } = pendingEdits.value
    pendingEdits.value = rest
  }

  function deleteMessage(room: string, id: string): void {
    connection.send({ type: 'delete', room, id })
  }

  function toggleReaction(room: string, id: string, emoji: string): void {
    connection.send({ type: 'react', room, id, emoji })
  }

  /** Pins the message for everyone in the room, or takes the pin back; the room hears of it as an `update`. */
  function setPinned(room: string, id: string, pinned: boolean): void {
    connection.send({ type: pinned ? 'pin' : 'unpin', room, id })
  }

  /** After `joined`: takes what the server replayed, or fills the rest over REST, or starts again from the newest page. */
  function resume(event: ServerEventOf<'joined'>): void {
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
      if (detachedRooms.value.includes(room)) return
      if (!loadedRooms.has(room)) return await loadLatest(room)
      for (let page = 0; page < MAX_CATCH_UP_PAGES; page++) {
        const after = lastSeq(room)
        if (after >= serverLastSeq) return
        const { messages } = await $fetch<HistoryPage>(`/api/rooms/${room}/messages`, { query: { after, limit: PAGE_SIZE } })
        if (messages.length === 0) return
        merge(room, messages)
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
    if (detachedRooms.value.includes(room)) {
      // Back in a room left detached: its newest page replaces the old history.
      detachedRooms.value = detachedRooms.value.filter(name => name !== room)
      messagesByRoom.value = { ...messagesByRoom.value, [room]: [] }
    }
    merge(room, messages)
  }

  /** False once the room's first message is loaded: there is nothing older to page in. */
  function hasOlder(room: string): boolean {
    const first = messagesOf(room)[0]
    return !exhaustedRooms.value.includes(room) && (first === undefined ? !loadedRooms.has(room) : first.seq > 1)
  }

  /** Pages in the messages before the oldest one shown (`before=`); true when any arrived. */
  async function loadOlder(room: string, limit = DEFAULT_HISTORY_PAGE): Promise<boolean> {
    if (!hasOlder(room) || loadingOlder.has(room)) return false
    loadingOlder.add(room)
    try {
      const before = messagesOf(room)[0]?.seq
      const { messages } = await $fetch<HistoryPage>(`/api/rooms/${room}/messages`, { query: { ...(before ? { before } : {}), limit } })
      if (messages.length < limit) exhaustedRooms.value = [...exhaustedRooms.value, room]
      loadedRooms.add(room)
      merge(room, messages)
      return messages.length > 0
    }
    finally {
      loadingOlder.delete(room)
    }
  }

  return {
    messagesByRoom, exhaustedRooms, highlighted, detachedRooms, editRequested, pendingEdits,
    messagesOf, lastSeq, isLoaded, holds, addMessages, setHistory, resume, hasOlder, loadOlder, forgetRoom,
    editMessage, deleteMessage, toggleReaction, setPinned, jumpTo, showLatest,
  }
})
