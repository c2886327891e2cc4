import { defineStore, skipHydrate } from 'pinia'
import { ref, watch } from 'vue'
import { timeOrderedId } from '#shared/time-ordered-id'
import type { Attachment, ClientEvent, ReplyFields, ServerEventOf } from '#shared/protocol'
import type { ErrorCode } from '#shared/error-codes'
import { useActivityStore } from './activity'
import { useConnectionStore } from './connection'
import { useMessagesStore } from './messages'
import { useRoomsStore } from './rooms'
import { useSessionStore } from './session'
import { loadOutbox, saveOutbox } from '~/utils/outbox-persistence'

/** A message the user wrote that the server has not acknowledged yet. */
export interface OutboxItem {
  clientId: string
  room: string
  text: string
  createdAt: number
  state: 'pending' | 'failed'
  error?: string
  /** What it replies to: a quoted message, a thread. */
  reply?: ReplyFields
  /** The uploaded files it carries. */
  attachments?: Attachment[]
}

/** Whether the room's timeline shows a message: a thread reply only when also sent to the room. */
const inRoom = (item: OutboxItem) => item.reply?.threadId === undefined || item.reply.alsoToRoom === true

/** Refusals that are about the moment, not the message: the outbox keeps the message and tries again. */
const RETRYABLE_CODES = new Set<ErrorCode>(['rate_limited', 'unavailable'])
const UNAVAILABLE_RETRY_MS = 2000

/**
 * The user's unacknowledged messages, sent in the order they were written: one at a time, the next once
 * the server acked the one before (or refused it for good). A refusal for the moment (rate limit, storage
 * outage) retries the same message and holds the rest behind it; after a reconnect the queue starts again
 * at the oldest pending message.
 */
export const useOutboxStore = defineStore('outbox', () => {
  const connection = useConnectionStore()
  // Subscribed first, so on every welcome the rooms are joined before this store sends messages to them.
  useRoomsStore()
  const messages = useMessagesStore()
  const activity = useActivityStore()
  const session = useSessionStore()
  const outbox = ref<OutboxItem[]>([])
  /** The message on its way: sent on this socket, neither acked nor refused yet. */
  let inFlight: string | null = null
  let retryTimer: ReturnType<typeof setTimeout> | null = null

  connection.on('welcome', () => {
    clearRetry()
    inFlight = null
    restore()
    sendNext()
  })
  // Kept per user in localStorage: a page reloaded offline still has what was written, and sends it on welcome.
  watch(outbox, (items) => {
    if (session.user) saveOutbox(session.user.id, items)
  })
  // Shown as pending as soon as the page knows who is signed in, before any socket opens (offline).
  watch(() => session.user?.id, restore, { immediate: true })

  function restore(): void {
    if (!session.user) return
    const known = new Set(outbox.value.map(item => item.clientId))
    const kept = loadOutbox(session.user.id).filter(item => !known.has(item.clientId))
    if (kept.length > 0) outbox.value = [...kept, ...outbox.value].sort((a, b) => a.createdAt - b.createdAt)
  }
  // Another user's session in this tab must not send what the last one wrote.
  connection.onDisconnect(() => {
    clearRetry()
    inFlight = null
    outbox.value = []
  })
  connection.on('ack', onAck)
  connection.on('error', onError)
  connection.on('chat', (event) => {
    if (event.user.id === session.user?.id) settle(event.clientId)
  })

  /** The room's unsent messages; one whose stored copy is already shown is not shown twice. */
  function outboxOf(room: string): OutboxItem[] {
    return outbox.value.filter(item => item.room === room && inRoom(item) && !messages.holds(room, item.clientId))
  }

  /** The unsent replies in a thread, for its panel. */
  function outboxOfThread(room: string, rootId: string): OutboxItem[] {
    return outbox.value.filter(item => item.room === room && item.reply?.threadId === rootId && !messages.holds(room, item.clientId))
  }

  function chatEvent(item: OutboxItem): ClientEvent {
    return {
      type: 'chat', room: item.room, text: item.text, clientId: item.clientId, ...item.reply,
      ...(item.attachments && { attachments: item.attachments.map(attachment => attachment.id) }),
    }
  }

  /** Sends the oldest pending message unless one is on its way already. */
  function sendNext(): void {
    if (inFlight !== null) return
    for (;;) {
      const head = outbox.value.find(item => item.state === 'pending')
      if (!head) return
      // Stored already (history brought it): nothing to send.
      if (messages.holds(head.room, head.clientId)) {
        remove(head.clientId)
        continue
      }
      if (connection.sendNow(chatEvent(head))) inFlight = head.clientId
      return
    }
  }

  function remove(clientId: string): void {
    outbox.value = outbox.value.filter(entry => entry.clientId !== clientId)
  }

  /** The message is done with (stored, failed for good or discarded): the next one may go. */
  function release(clientId: string): void {
    if (inFlight !== clientId) return
    inFlight = null
    clearRetry()
    sendNext()
  }

  function settle(clientId: string): void {
    if (!outbox.value.some(entry => entry.clientId === clientId)) return
    remove(clientId)
    release(clientId)
  }

  function onAck(event: ServerEventOf<'ack'>): void {
    const item = outbox.value.find(entry => entry.clientId === event.clientId)
    if (!item) return
    remove(item.clientId)
    // The room's `chat` event normally came first in the same frame; the ack alone is enough to show it.
    if (session.user && !messages.messagesOf(item.room).some(message => message.id === event.id)) {
      messages.addMessages(item.room, [{
        room: item.room, id: event.id, seq: event.seq, user: session.user, text: item.text, ts: event.ts, clientId: item.clientId,
        ...(item.reply?.threadId !== undefined && { threadId: item.reply.threadId, ...(item.reply.alsoToRoom && { alsoToRoom: true as const }) }),
        ...(item.attachments && { attachments: item.attachments }),
      }])
    }
    release(item.clientId)
  }

  /** Claims the refusals of outbox messages; any other error is left to the connection to show. */
  function onError(event: ServerEventOf<'error'>): boolean {
    const item = event.ref ? outbox.value.find(entry => entry.clientId === event.ref) : undefined
    if (!item) {
      // The frame limit refuses before reading the frame (ref null): the message on its way may be the one refused.
      if (event.code === 'rate_limited' && event.ref == null && inFlight !== null) retryHead(event.retryAfter)
      return false
    }
    if (RETRYABLE_CODES.has(event.code)) {
      // Still pending, still first: try again once the server will take it (rate limit passed, storage back).
      if (inFlight === item.clientId) retryHead(event.retryAfter)
      return true
    }
    outbox.value = outbox.value.map(entry => entry === item ? { ...entry, state: 'failed', error: event.message } : entry)
    release(item.clientId)
    return true
  }

  /** Sends the head again after `delay` ms; the rest wait behind it. */
  function retryHead(delay = UNAVAILABLE_RETRY_MS): void {
    clearRetry()
    retryTimer = setTimeout(() => {
      retryTimer = null
      inFlight = null
      sendNext()
    }, delay)
  }

  function clearRetry(): void {
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
  }

  /** Queues a message: shown at once as pending, sent in its turn now or after the next reconnect. */
  function send(room: string, text: string, reply?: ReplyFields, attachments: Attachment[] = []): OutboxItem {
    activity.sentMessage(room)
    // Time-ordered, so the server's dedupe index (led by clientId) grows at its end.
    const item: OutboxItem = {
      clientId: timeOrderedId(), room, text, createdAt: Date.now(), state: 'pending', ...(reply && { reply }),
      ...(attachments.length > 0 && { attachments }),
    }
    outbox.value = [...outbox.value, item]
    sendNext()
    return item
  }

  /** Sends a failed message again under the same clientId, so the server stores it at most once. */
  function retry(clientId: string): void {
    const item = outbox.value.find(entry => entry.clientId === clientId)
    if (!item) return
    const pending: OutboxItem = { ...item, state: 'pending', error: undefined }
    outbox.value = outbox.value.map(entry => entry === item ? pending : entry)
    sendNext()
  }

  function discard(clientId: string): void {
    remove(clientId)
    release(clientId)
  }

  // Never taken from the server-rendered state (always empty there): hydrating it would drop what restore() just
  // read from localStorage, and the watch above would then save that empty list over it.
  return { outbox: skipHydrate(outbox), outboxOf, outboxOfThread, send, retry, discard }
})
