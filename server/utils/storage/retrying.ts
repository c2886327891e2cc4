import type { ChatStorage } from './types'
import { StorageNotReady } from './unavailable'

type Forwarder = (...args: unknown[]) => Promise<unknown>

/** Waits between attempts to open storage: 0.5 s, doubling, at most `maxMs`. */
export function backoffDelay(attempt: number, maxMs = 5000): number {
  return Math.min(maxMs, 500 * 2 ** attempt)
}

export interface RetryingStorage {
  storage: ChatStorage
  /** Settles once storage is open (never rejects: it keeps trying until closed). */
  ready: Promise<void>
}

/**
 * A storage that connects and migrates first (PostgreSQL), opened again and again with backoff until it
 * opens: a database that is down while banter starts and comes back later is picked up. Until then every
 * call fails at once with StorageNotReady (503 `unavailable`, never a hang) and `ping` says false.
 * Methods are forwarded by name, so a method added to ChatStorage needs no change here.
 */
export function retryingStorage(
  open: () => Promise<ChatStorage>,
  onFailure: (error: unknown, attempt: number) => void,
  delay: (attempt: number) => number = backoffDelay,
): RetryingStorage {
  let current: ChatStorage | null = null
  let closed = false
  let timer: ReturnType<typeof setTimeout> | undefined
  let markReady: () => void = () => {}
  const ready = new Promise<void>(resolve => (markReady = resolve))

  const attempt = async (count: number): Promise<void> => {
    try {
      const storage = await open()
      if (closed) return void (await storage.close())
      current = storage
      markReady()
    }
    catch (error) {
      if (closed) return
      onFailure(error, count)
      timer = setTimeout(() => void attempt(count + 1), delay(count))
    }
  }
  void attempt(0)

  const own: Pick<ChatStorage, 'ping' | 'close'> = {
    ping: async () => current ? current.ping() : false,
    close: async () => {
      closed = true
      clearTimeout(timer)
      await current?.close()
    },
  }
  const forwarders = new Map<string, Forwarder>()
  const forwarder = (name: string): Forwarder => async (...args) => {
    if (!current) throw new StorageNotReady()
    const method: unknown = Reflect.get(current, name)
    if (typeof method !== 'function') throw new TypeError(`The storage has no method ${name}`)
    return Reflect.apply(method, current, args)
  }
  const storage = new Proxy(own as ChatStorage, {
    get(target, name) {
      // Not a thenable (`await storage` must not call it), and no symbol is a storage method.
      if (typeof name !== 'string' || name === 'then') return undefined
      if (name in target) return Reflect.get(target, name)
      let forward = forwarders.get(name)
      if (!forward) forwarders.set(name, (forward = forwarder(name)))
      return forward
    },
  })
  return { storage, ready }
}
