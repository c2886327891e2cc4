import { ackFor, parseClientFrame } from '#shared/protocol'
import { errorMessage } from '#shared/error-codes'
import type { ClientEvent, ServerEventOf } from '#shared/protocol'
import { ChatError } from '../chat/chat-error'
import type { ChatService } from '../chat/chat-service'
import { isStorageUnavailable } from '../storage/unavailable'
import type { Connection } from './connection'
import { errorAtMostEveryMinute, warnAtMostEveryMinute } from '../http/throttled-log'
import { chatMetrics } from '../metrics/metrics'

/**
 * Handles one text frame from a socket: rate-limits it, parses it, hands the event to the chat's rules and
 * answers on that socket: the `ack` of a stored message, or an `error` event for every refusal. `release`
 * (from `Connection.enqueue`) is called once a chat message holds its place in the storage's queue, so the
 * socket's next frame need not wait for the write: with PostgreSQL, a socket's messages would otherwise be
 * stored one round trip at a time.
 */
export async function handleFrame(chat: ChatService, connection: Connection, raw: string, release?: () => void): Promise<void> {
  const now = Date.now()
  const frameWait = connection.frameBucket.take(now)
  if (frameWait > 0) return rateLimited(connection, null, frameWait, now)
  const parsed = parseClientFrame(raw)
  if (!parsed.ok) {
    connection.send({ type: 'error', code: parsed.code, message: parsed.message, ref: parsed.ref })
    return
  }
  const event = parsed.event
  try {
    switch (event.type) {
      case 'join':
        return await chat.join(connection, event.room, event.after, event.follow === true)
      case 'leave':
        return chat.leave(connection, event.room)
      case 'typing':
        return chat.typing(connection, event.room)
      case 'visibility':
        return chat.setVisible(connection, event.visible)
      case 'read':
        await chat.markRead(connection.user, event.room, event.seq)
        return
      case 'thread-read':
        await chat.threads.markRead(connection.user, event.room, event.rootId, event.seq)
        return
      case 'edit':
      case 'delete':
      case 'react':
      case 'pin':
      case 'unpin':
        await chat.changeFrom(connection, event)
        return
      case 'chat': {
        const messageWait = connection.messageBucket.take(now)
        if (messageWait > 0) return rateLimited(connection, event.clientId, messageWait, now)
        const extras = { replyTo: event.replyTo, threadId: event.threadId, alsoToRoom: event.alsoToRoom, attachments: event.attachments }
        connection.sendAck(ackFor(await chat.postFrom(connection, event.room, event.text, event.clientId, release, extras)))
        return
      }
    }
  }
  catch (error) {
    connection.send(refusal(error, refOf(event)))
  }
}

/** The `error` event answering a failed event: its ChatError, a storage outage, or anything else as internal. */
function refusal(error: unknown, ref: string | null): ServerEventOf<'error'> {
  if (error instanceof ChatError) {
    return { type: 'error', code: error.code, message: error.message, ref, ...(error.retryAfter !== undefined && { retryAfter: error.retryAfter }) }
  }
  if (isStorageUnavailable(error)) {
    warnAtMostEveryMinute('storage-unavailable', `storage unavailable: ${(error as Error).message}`)
    return { type: 'error', code: 'unavailable', message: errorMessage('unavailable'), ref }
  }
  // One line per kind of failure a minute: a client repeating a failing frame must not flood the log.
  errorAtMostEveryMinute(`frame-failed:${error instanceof Error ? error.message : String(error)}`, 'failed to handle a frame', error)
  return { type: 'error', code: 'internal', message: errorMessage('internal'), ref }
}

/** Refuses an event over the rate; a connection that keeps pushing past it is closed (1008). */
function rateLimited(connection: Connection, ref: string | null, retryAfter: number, now: number): void {
  if (connection.strikeBucket.take(now) > 0) {
    log.warn('socket-flood', 'closing a connection: sustained flood', { connection: connection.id, userId: connection.user.id })
    connection.close(1008, 'too many events')
    return
  }
  chatMetrics.refused('socket-frames')
  connection.send({ type: 'error', code: 'rate_limited', message: errorMessage('rate_limited'), ref, retryAfter })
}

/** What an `error` answering this event refers to: the message's clientId or id, else the room. */
function refOf(event: ClientEvent): string | null {
  switch (event.type) {
    case 'chat': return event.clientId
    case 'edit':
    case 'delete':
    case 'react':
    case 'pin':
    case 'unpin': return event.id
    case 'visibility': return null
    default: return event.room
  }
}
