import type { ChatStorage } from './types'

type Forwarder = (...args: unknown[]) => Promise<unknown>

/**
 * A storage usable before it is ready: Nitro does not await plugins, so a storage that connects and
 * migrates first (PostgreSQL) is wrapped, and every call waits for it. A failed start fails every call,
 * except `ping` (false) and `close` (nothing to close). Methods are forwarded by name, so a method added
 * to ChatStorage is forwarded without a change here.
 */
export function deferredStorage(ready: Promise<ChatStorage>): ChatStorage {
  const own: Pick<ChatStorage, 'ping' | 'close'> = {
    ping: async () => {
      try {
        return await (await ready).ping()
      }
      catch {
        return false
      }
    },
    close: async () => {
      await (await ready.catch(() => null))?.close()
    },
  }
  const forwarders = new Map<string, Forwarder>()
  const forwarder = (name: string): Forwarder => async (...args) => {
    const storage = await ready
    const method: unknown = Reflect.get(storage, name)
    if (typeof method !== 'function') throw new TypeError(`The storage has no method ${name}`)
    return Reflect.apply(method, storage, args)
  }
  return new Proxy(own as ChatStorage, {
    get(target, name) {
      // Not a thenable (`await storage` must not call it), and no symbol is a storage method.
      if (typeof name !== 'string' || name === 'then') return undefined
      if (name in target) return Reflect.get(target, name)
      let forward = forwarders.get(name)
      if (!forward) forwarders.set(name, (forward = forwarder(name)))
      return forward
    },
  })
}
