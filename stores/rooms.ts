import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { DEFAULT_ROOM, isDirectRoom } from '#shared/protocol'
import type { ClientEvent, MentionedMessage, Room, RoomList, ServerEventOf } from '#shared/protocol'
import { createReadMarkerQueue, maxEach, readSeqsAfterList } from '~/utils/read-markers'
import { readUpTo, threadOnlyBetween, withThreadOnly } from '~/utils/thread-only-seqs'
import { unreadMentionIds } from '~/utils/mention-toast'
import type { ThreadOnlySeqs } from '~/utils/thread-only-seqs'
import { useActivityStore } from './activity'
import { useConnectionStore } from './connection'
import { useMessagesStore } from './messages'
import { useNotificationsStore } from './notifications'
import { useRoomPermissionsStore } from './room-permissions'
import { useSessionStore } from './session'
import { useThreadsStore } from './threads'

/**
 * The rooms this user can see, their unread counts and mentions, the read markers, and which rooms the socket is in.
 * The room on screen is joined in full (presence, typing); every other room is followed (`join {follow: true}`):
 * its messages arrive for the unread count, but this user is not listed as present in it.
 */
export const useRoomsStore = defineStore('rooms', () => {
  const connection = useConnectionStore()
  const messages = useMessagesStore()
  const activity = useActivityStore()
  const notifications = useNotificationsStore()
  const threads = useThreadsStore()
  const session = useSessionStore()
  const list = ref<Room[]>([])
  /** Every room's newest seq known from the room list or a `joined`; messages held may be newer. */
  const roomLastSeq = ref<Record<string, number>>({})
  /** The user's read markers: the newest seq read in each room. */
  const readSeq = ref<Record<string, number>>({})
  /** Per room: seqs of replies sent to a thread only, which neither the timeline nor the unread count shows. */
  const threadOnlySeqs = ref<ThreadOnlySeqs>({})
  /** Per room: unread messages that @mention the user, as the room list had them (live ones come to activity). */
  const listedMentions = ref<Record<string, MentionedMessage[]>>({})
  /** The room on screen: it alone is present and marked read as messages arrive. */
  const roomOnScreen = ref<string | null>(null)
  /**
   * Rooms to keep up with, in the order they became known. The socket follows as many as the server allows,
   * this user's own first (followRank): a flood of new public rooms cannot push them out of the unread counts.
   */
  const followed = new Set<string>()
  /** Rooms this user has read in, here or on another device: theirs, unlike a public room they never opened. */
  const visited = new Set<string>()
  /**
   * Rooms where the server holds this user's read marker. A room first seen with nothing new (read up to its
   * newest here, counted from now on) still gets one when read: else a reload counted what came since as nothing.
   */
  const markedOnServer = new Set<string>()
  /** Followed rooms not loaded when followed, with the seq they were followed from: resuming there replays nothing. */
  const followedFrom = new Map<string, number>()
  /** How each room is joined on the current socket. */
  const joinedHere = new Map<string, 'present' | 'following'>()
  /** Rooms this user was taken out of (or left) since the page loaded: a list fetched before must not bring them back. */
  const removed = ref<string[]>([])
  const readMarkers = createReadMarkerQueue(connection.sendNow)

  connection.on('welcome', onWelcome)
  connection.on('joined', onJoined)
  connection.on('room', event => addRoom(event.room))
  connection.on('chat', (message) => {
    if (message.threadId && !message.alsoToRoom) noteThreadOnly(message.room, [message.seq])
    // One's own message, from this device or another, is read where everything before it was.
    else if (message.user.id === session.user?.id && readUpTo(readSeq.value[message.room], threadOnlySeqs.value[message.room], message.seq - 1)) markRead(message.room, message.seq)
  })
  connection.on('room-removed', event => removeRoom(event.room))
  connection.on('read', (event) => {
    visited.add(event.room)
    markedOnServer.add(event.room)
    if (event.seq > (readSeq.value[event.room] ?? 0)) readSeq.value = { ...readSeq.value, [event.room]: event.seq }
  })
  // A page being hidden or closed may not come back: its read markers go now.
  connection.onStart(() => {
    if (typeof document === 'undefined') return
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && readMarkers.flush())
    window.addEventListener('pagehide', () => readMarkers.flush())
  })
  connection.onDisconnect(() => {
    // The next user sees their own rooms: a private room or DM of the last one must not stay listed.
    list.value = []
    roomLastSeq.value = {}
    threadOnlySeqs.value = {}
    listedMentions.value = {}
    readSeq.value = {}
    followed.clear()
    visited.clear()
    markedOnServer.clear()
    followedFrom.clear()
    joinedHere.clear()
    readMarkers.forget()
    removed.value = []
  })

  function onWelcome(): void {
    // Rooms created while this client was away arrive as `room` events only to those connected then.
    void refreshRooms()
    joinedHere.clear()
    // Each room resumes after the last seq this client holds: the server replays the gap, then goes live.
    if (roomOnScreen.value) joinRoom(roomOnScreen.value, 'present')
    followWhatFits()
    readMarkers.flush()
  }

  /** Background rooms one socket may follow: the server's limit, less one for the room on screen. */
  function followCapacity(): number {
    return Math.max(0, (connection.limits?.maxRoomsPerConnection ?? 0) - 1)
  }

  /**
   * The background rooms the socket should follow now: the followed ones that fit, this user's own first (private
   * rooms and direct messages they are in, rooms they have read in, the default room), then the rest.
   */
  function roomsToFollow(): Set<string> {
    const members = new Set(list.value.filter(room => room.kind).map(room => room.name))
    const rank = (room: string) => (visited.has(room) || members.has(room) || room === DEFAULT_ROOM ? 0 : 1)
    const background = [...followed].filter(room => room !== roomOnScreen.value)
    // Array sort is stable: within a rank, the order the rooms became known.
    return new Set(background.sort((a, b) => rank(a) - rank(b)).slice(0, followCapacity()))
  }

  /** Follows the rooms that fit, and stops following a room a room of higher rank needs the place of. */
  function followWhatFits(): void {
    const wanted = roomsToFollow()
    for (const [room, mode] of joinedHere) {
      if (mode === 'following' && !wanted.has(room) && connection.sendNow({ type: 'leave', room })) joinedHere.delete(room)
    }
    for (const room of wanted) if (!joinedHere.has(room)) joinRoom(room, 'following')
  }

  function joinRoom(room: string, mode: 'present' | 'following'): void {
    if (connection.sendNow(joinEvent(room, mode))) joinedHere.set(room, mode)
  }

  /**
   * Resumes a room after the newest seq the client holds. A room never loaded but known from the room list
   * (followed only for its unread count) resumes after its listed seq: nothing is replayed.
   */
  function joinEvent(room: string, mode: 'present' | 'following'): ClientEvent {
    const follow = mode === 'following' ? { follow: true } : {}
    if (messages.isLoaded(room)) return { type: 'join', room, after: messages.lastSeq(room), ...follow }
    const from = followedFrom.get(room)
    if (from !== undefined) return { type: 'join', room, after: Math.max(from, messages.lastSeq(room)), ...follow }
    return { type: 'join', room, ...follow }
  }

  function onJoined(event: ServerEventOf<'joined'>): void {
    if (event.lastSeq > (roomLastSeq.value[event.room] ?? 0)) roomLastSeq.value = { ...roomLastSeq.value, [event.room]: event.lastSeq }
    // A followed room never loaded only needs its newest seq (for the unread count); its history loads when it is opened.
    if (event.room !== roomOnScreen.value && !messages.isLoaded(event.room)) return
    messages.resume(event)
  }

  /** Keeps a room's unread count live: followed now if the socket has room for it, else from the next welcome. */
  function follow(room: string): void {
    if (!addFollowed(room)) return
    followWhatFits()
  }

  /** Remembers a room to follow; false when it was already. */
  function addFollowed(room: string): boolean {
    if (followed.has(room)) return false
    if (!messages.isLoaded(room)) followedFrom.set(room, roomLastSeq.value[room] ?? 0)
    followed.add(room)
    return true
  }

  /** The room comes on screen: this user becomes present in it, and it is marked read as its messages arrive. */
  function showRoom(room: string): void {
    roomOnScreen.value = room
    followed.add(room)
    visited.add(room)
    if (joinedHere.get(room) !== 'present') joinRoom(room, 'present')
  }

  /** The room leaves the screen: this user steps back to following it (or leaves it when no room is left to follow). */
  function hideRoom(room: string): void {
    if (roomOnScreen.value !== room) return
    roomOnScreen.value = null
    if (joinedHere.get(room) !== 'present') return
    if (roomsToFollow().has(room)) {
      joinRoom(room, 'following')
      // Its place may have been another room's until now.
      return followWhatFits()
    }
    if (connection.sendNow({ type: 'leave', room })) joinedHere.delete(room)
  }

  /** A new room, or a room that changed (topic, slow mode, members): the newer version replaces the one known. */
  function addRoom(room: Room): void {
    if (removed.value.includes(room.name)) removed.value = removed.value.filter(name => name !== room.name)
    const known = list.value.some(candidate => candidate.name === room.name)
    list.value = [...list.value.filter(candidate => candidate.name !== room.name), room].sort((a, b) => a.name.localeCompare(b.name))
    if (known) return
    follow(room.name)
    // Added to a private room: its unread starts where the server put this user's first sight, not at its start.
    if (room.kind === 'private') void refreshRooms()
  }

  /** This user is no longer in the room: it leaves the list, the socket stops following it, its timeline goes. */
  function removeRoom(room: string): void {
    if (!removed.value.includes(room)) removed.value = [...removed.value, room]
    list.value = list.value.filter(candidate => candidate.name !== room)
    followed.delete(room)
    followedFrom.delete(room)
    joinedHere.delete(room)
    // Back in it later, they count from then (the room list says), not from what they read before.
    const { [room]: _left, ...stillIn } = readSeq.value
    readSeq.value = stillIn
    useRoomPermissionsStore().forget(room)
    messages.forgetRoom(room)
    if (roomOnScreen.value === room) roomOnScreen.value = null
  }

  async function refreshRooms(): Promise<void> {
    // Private rooms known before asking and missing from the answer were left while this client was away
    // (their room-removed never came); one learnt meanwhile is not judged by an answer older than it.
    const privateBefore = list.value.filter(room => room.kind).map(room => room.name)
    try {
      const answer = await $fetch<RoomList>('/api/rooms')
      if (!Array.isArray(answer?.rooms)) return
      const listed = new Set(answer.rooms.map(room => room.name))
      for (const name of privateBefore) if (!listed.has(name)) removeRoom(name)
      setRooms(answer.rooms, answer)
    }
    catch (error) {
      console.warn('[banter] could not refresh the room list', error)
    }
  }

  /** Sets the room list; with the seqs of `GET /api/rooms`, also the unread counts, and follows every room. */
  function setRooms(incoming: Room[], seqs?: Pick<RoomList, 'lastSeq' | 'read'> & Partial<Pick<RoomList, 'unreadFrom' | 'threadOnly' | 'mentions'>>): void {
    // Rooms are never deleted: a list fetched earlier (a cached useFetch) must not drop rooms learnt since.
    const byName = new Map(list.value.map(room => [room.name, room]))
    for (const room of incoming) if (!removed.value.includes(room.name)) byName.set(room.name, room)
    list.value = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))
    if (!seqs) return
    roomLastSeq.value = { ...roomLastSeq.value, ...maxEach(roomLastSeq.value, seqs.lastSeq) }
    const shown = incoming.map(room => room.name).filter(room => !removed.value.includes(room))
    readSeq.value = readSeqsAfterList(readSeq.value, shown, seqs)
    for (const room of Object.keys(seqs.read ?? {})) {
      visited.add(room)
      markedOnServer.add(room)
    }
    for (const [room, threadOnly] of Object.entries(seqs.threadOnly ?? {})) noteThreadOnly(room, threadOnly)
    if (seqs.mentions) listedMentions.value = seqs.mentions
    for (const room of list.value) addFollowed(room.name)
    followWhatFits()
  }

  /** The room's newest seq: from the list, a `joined`, or the messages held. */
  function newestSeq(room: string): number {
    return Math.max(roomLastSeq.value[room] ?? 0, messages.lastSeq(room))
  }

  /** Unread messages, counted only where the room's notification level counts them (notification-levels.ts). */
  function unreadCount(room: string): number {
    return notifications.alertsIn(room, messageKind(room)).badge === 'count' ? unreadMessages(room) : 0
  }

  /** Unread messages that the level does not count: the room shows only a dot. */
  function hasUncountedUnread(room: string): boolean {
    return notifications.alertsIn(room, messageKind(room)).badge === 'dot' && unreadMessages(room) > 0
  }

  function unreadMessages(room: string): number {
    const read = readSeq.value[room] ?? 0
    const newest = newestSeq(room)
    return Math.max(0, newest - read - threadOnlyBetween(threadOnlySeqs.value[room], read, newest))
  }

  function noteThreadOnly(room: string, seqs: readonly number[]): void {
    threadOnlySeqs.value = withThreadOnly(threadOnlySeqs.value, room, seqs, readSeq.value[room] ?? 0)
  }

  const messageKind = (room: string) => isDirectRoom(room) ? 'direct' as const : 'message' as const

  const totalUnread = computed(() => list.value.reduce((total, room) => total + unreadCount(room.name), 0))

  /** Unread @mentions of this user in the room: read with the room, or with its thread for a reply sent there alone. */
  function mentionCount(room: string): number {
    if (!notifications.alertsIn(room, 'mention').mentionBadge) return 0
    const state = { readSeq: readSeq.value, unreadInThread: threads.isUnread }
    return unreadMentionIds(room, [...activity.mentionsReceived, ...(listedMentions.value[room] ?? []).map(m => ({ ...m, room }))], state).size
  }

  /** Marks a room read up to its newest message (or `seq`) at once; the server hears of it once per short window. */
  function markRead(room: string, seq = newestSeq(room)): void {
    if (seq <= (readSeq.value[room] ?? 0) && (seq === 0 || markedOnServer.has(room))) return
    readSeq.value = { ...readSeq.value, [room]: seq }
    markedOnServer.add(room)
    readMarkers.mark(room, seq)
  }

  return {
    list, roomLastSeq, readSeq, roomOnScreen, totalUnread, removed,
    setRooms, showRoom, hideRoom, newestSeq, unreadCount, hasUncountedUnread, mentionCount, markRead,
  }
})
