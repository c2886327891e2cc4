import type { ServerEvent, User } from '#shared/protocol'
import { ChatService } from '#server/utils/chat/chat-service'
import { Hub } from '#server/utils/chat/hub'
import { DEFAULT_LIMITS } from '#server/utils/chat/limits'
import type { ChatLimits } from '#server/utils/chat/limits'
import { LocalFanOut } from '#server/utils/fan-out/local'
import { Connection } from '#server/utils/socket/connection'
import type { FramePayload } from '#server/utils/socket/connection'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import type { ChatStorage } from '#server/utils/storage/types'

/** The chat of one instance, delivering straight to its hub (as the server does without Redis). */
export function localChat(storage: ChatStorage, limits: ChatLimits = DEFAULT_LIMITS): ChatService {
  return new ChatService(storage, limits, new LocalFanOut(new Hub(), storage))
}

/** An in-memory SQLite storage and a local chat over it, with its `general` room. */
export async function freshLocalChat(): Promise<{ storage: ChatStorage, chat: ChatService }> {
  const storage = createSqliteStorage(':memory:')
  const chat = localChat(storage)
  await chat.ensureDefaultRoom()
  return { storage, chat }
}

/** A connection whose transport records frames; events are read back after the connection's batch is flushed. */
export function recordingConnection(id: string, user: User, limits: ChatLimits = DEFAULT_LIMITS) {
  const frames: string[] = []
  const closes: [number, string][] = []
  const transport = {
    buffered: 0,
    pings: 0,
    terminated: false,
    send: (payloads: readonly FramePayload[]) => payloads.forEach(payload => frames.push(payload.lines.join('\n'))),
    close: (code: number, reason: string) => closes.push([code, reason]),
    bufferedAmount: () => transport.buffered,
    ping: () => transport.pings++,
    terminate: () => (transport.terminated = true),
  }
  const connection = new Connection(id, user, transport, limits)
  const events = () => frames.flatMap(frame => frame.split('\n').map(line => JSON.parse(line) as ServerEvent))
  return { connection, frames, closes, events, transport }
}

/** Waits for the event-loop turn in which connections flush their batches. */
export const flushed = () => new Promise(resolve => setImmediate(resolve))
