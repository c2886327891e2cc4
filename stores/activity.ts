import { defineStore } from 'pinia'
import { ref } from 'vue'
import { isDirectRoom } from '#shared/protocol'
import { messageHref } from '#shared/message-link'
import type { ChatMessage, PresenceEntry, ServerEventOf, User } from '#shared/protocol'
import type { RoomNotice } from '~/utils/timeline'
import { TYPING_SEND_INTERVAL_MS } from '~/utils/typing-text'
import { userLabel } from '~/utils/user-label'
import { subscribeToPush } from '~/utils/web-push'
import { useConnectionStore } from './connection'
import { useSessionStore } from './session'
import { useNotificationsStore } from './notifications'

const MAX_NOTICES_PER_ROOM = 50
const MAX_MENTIONS_KEPT = 20

/**
 * What happens around the messages: who is here, who is typing, join and leave lines, and @mentions
 * (kept for the sidebar's badges and the toast, and shown by the browser while the page is hidden).
 */
export const useActivityStore = defineStore('activity', () => {
  const connection = useConnectionStore()
  const session = useSessionStore()
  const notifications = useNotificationsStore()
  /** Who is in each room this client is present in, online or away. */
  const presenceByRoom = ref<Record<string, PresenceEntry[]>>({})
  /** Who is typing in each room, this user never included. */
  const typingByRoom = ref<Record<string, User[]>>({})
  /** Join and leave lines per room, oldest first. */
  const noticesByRoom = ref<Record<string, RoomNotice[]>>({})
  /** The latest messages that @mentioned this user, newest first. */
  const mentionsReceived = ref<ChatMessage[]>([])
  /** Mentions whose toast the user closed. */
  const dismissedMentions = ref<string[]>([])
  /** The browser's notification permission ('unsupported' where there is no Notification API). */
  const notificationPermission = ref<NotificationPermission | 'unsupported'>('default')
  /** When this client last told each room it is typing. */
  const typingSentAt = new Map<string, number>()
  let tabVisible = true
  /** What a click on a mention's notification does: the room page navigates there; elsewhere, a page load. */
  const loadPageOf = (message: ChatMessage) => location.assign(messageHref(message))
  let openMention = loadPageOf

  connection.on('welcome', onWelcome)
  connection.on('presence', onPresence)
  connection.on('typing', onTyping)
  connection.on('system', addNotice)
  connection.on('notification', event => onMention(event.message))
  // A message ends its author's typing line.
  connection.on('chat', event => setTyping(event.room, event.user, false))
  connection.onStart(watchBrowser)
  connection.onDisconnect(() => {
    presenceByRoom.value = {}
    typingByRoom.value = {}
    noticesByRoom.value = {}
    mentionsReceived.value = []
    dismissedMentions.value = []
  })

  function onPresence(event: ServerEventOf<'presence'>): void {
    const current = event.snapshot ? [] : presenceByRoom.value[event.room] ?? []
    const changed = new Map(event.users.map(entry => [entry.user.id, entry]))
    const next = current.filter(entry => !changed.has(entry.user.id))
    for (const entry of changed.values()) if (entry.state !== 'offline') next.push(entry)
    next.sort((a, b) => a.user.name.localeCompare(b.user.name) || a.user.username.localeCompare(b.user.username))
    presenceByRoom.value = { ...presenceByRoom.value, [event.room]: next }
    // Someone who left stops typing too.
    for (const entry of changed.values()) if (entry.state === 'offline') setTyping(event.room, entry.user, false)
  }

  function onTyping(event: ServerEventOf<'typing'>): void {
    if (event.user.id === session.user?.id) return // a user never sees their own typing line
    setTyping(event.room, event.user, event.active)
  }

  function setTyping(room: string, who: User, active: boolean): void {
    const others = (typingByRoom.value[room] ?? []).filter(entry => entry.id !== who.id)
    if (active) others.push(who)
    typingByRoom.value = { ...typingByRoom.value, [room]: others }
  }

  /** Called on every keystroke in the composer; tells the room at most once every 2 s. */
  function notifyTyping(room: string): void {
    const now = Date.now()
    if (now - (typingSentAt.get(room) ?? 0) < TYPING_SEND_INTERVAL_MS) return
    if (connection.sendNow({ type: 'typing', room })) typingSentAt.set(room, now)
  }

  /** After sending: the server ends the typing line with the message, so the next keystroke starts a new one. */
  function sentMessage(room: string): void {
    typingSentAt.delete(room)
  }

  /** Tells the server whether this tab is visible: a user whose tabs are all hidden shows as away. */
  function setVisible(visible: boolean): void {
    tabVisible = visible
    connection.sendNow({ type: 'visibility', visible })
  }

  /** On every (re)connection: typing lines of the old one are stale, and the server must learn a hidden tab anew. */
  function onWelcome(): void {
    typingByRoom.value = {}
    if (!tabVisible) connection.sendNow({ type: 'visibility', visible: false })
  }

  /** Browser only: reads the tab's visibility and notification permission, and follows visibility changes. */
  function watchBrowser(): void {
    notificationPermission.value = typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
    if (typeof document === 'undefined') return
    tabVisible = document.visibilityState !== 'hidden'
    document.addEventListener('visibilitychange', () => setVisible(document.visibilityState !== 'hidden'))
  }

  /** Keeps the latest join and leave lines of each room, shown quietly between messages; never about this user. */
  function addNotice(event: ServerEventOf<'system'>): void {
    if (event.user.id === session.user?.id) return
    const notice: RoomNotice = { key: `${event.kind}-${event.user.id}-${event.ts}`, kind: event.kind, user: event.user, ts: event.ts }
    const current = noticesByRoom.value[event.room] ?? []
    noticesByRoom.value = { ...noticesByRoom.value, [event.room]: [...current, notice].slice(-MAX_NOTICES_PER_ROOM) }
  }

  /**
   * Someone @mentioned this user: remembered (the page shows it), and shown by the browser while the page is hidden,
   * each as the room's level allows (the server already held back what the level forbade when it was sent).
   */
  function onMention(message: ChatMessage): void {
    const alerts = notifications.alertsIn(message.room, isDirectRoom(message.room) ? 'direct' : 'mention')
    if (!alerts.signal) return
    mentionsReceived.value = [message, ...mentionsReceived.value].slice(0, MAX_MENTIONS_KEPT)
    if (typeof document === 'undefined' || document.visibilityState !== 'hidden') return
    if (!alerts.notify || typeof Notification === 'undefined' || Notification.permission !== 'granted') return
    const shown = new Notification(`${userLabel(message.user)} mentioned you in #${message.room}`, { body: message.text, tag: message.id })
    shown.onclick = () => {
      window.focus()
      shown.close()
      openMention(message)
    }
  }

  /**
   * Sets how a click on a mention's notification opens it, until `release` with the same function: the next room
   * page mounts before the last one unmounts, so a release must not undo its successor's.
   */
  function openMentionsWith(open: (message: ChatMessage) => void): void {
    openMention = open
  }
  function releaseMentions(open: (message: ChatMessage) => void): void {
    if (openMention === open) openMention = loadPageOf
  }

  function dismissMention(id: string): void {
    if (!dismissedMentions.value.includes(id)) dismissedMentions.value = [...dismissedMentions.value, id].slice(-MAX_MENTIONS_KEPT)
  }

  /** Asks for permission (only ever on a click) and, once granted, subscribes this browser to Web Push too. */
  async function enableNotifications(): Promise<void> {
    if (typeof Notification === 'undefined') return
    notificationPermission.value = await Notification.requestPermission()
    if (notificationPermission.value === 'granted') await subscribeToPush().catch(() => 'unsupported')
  }

  return {
    presenceByRoom, typingByRoom, noticesByRoom, mentionsReceived, dismissedMentions, notificationPermission, openMentionsWith, releaseMentions,
    notifyTyping, sentMessage, setVisible, dismissMention, enableNotifications,
  }
})
