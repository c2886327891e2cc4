import type { SharedRatesFactory } from './rates/shared-rates'
import type { ChatService } from './chat/chat-service'
import type { ChatStorage } from './storage/types'
import type { ChatBus } from './bus/types'
import type { ConnectionCounter } from './chat/connection-counter'
import type { PushNotifier } from './push/push-notifier'

/** The process-wide chat state, created once by server/plugins/banter.ts. */
export interface Banter {
  chat: ChatService
  storage: ChatStorage
  storageKind: 'sqlite' | 'postgres'
  bus: ChatBus
  connections: ConnectionCounter
  /** Rates that hold for the whole deployment (rates/shared-rates.ts). */
  rates: SharedRatesFactory
  push: PushNotifier
  startedAt: number
  /** Names this process in logs, health and metrics (NUXT_INSTANCE_ID, else host name and pid). */
  instanceId: string
}

let current: Banter | null = null

export function setBanter(banter: Banter): void {
  current = banter
}

export function useBanter(): Banter {
  if (!current) throw new Error('banter is not initialised: server/plugins/banter.ts has not run')
  return current
}
