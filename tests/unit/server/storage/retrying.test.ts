import { describe, expect, it } from 'vitest'
import { deferredStorage } from '#server/utils/storage/deferred'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import type { ChatStorage } from '#server/utils/storage/types'

/** Every method a real storage has, as the deferred storage must forward them. */
const real = createSqliteStorage(':memory:')
const METHODS = Object.keys(real) as (keyof ChatStorage)[]
await real.close()

/** A storage whose every method answers with its own name and arguments. */
function echoStorage(): ChatStorage {
  return Object.fromEntries(METHODS.map(name => [name, async (...args: unknown[]) => [name, args]])) as unknown as ChatStorage
}

function call(storage: ChatStorage, name: keyof ChatStorage, ...args: unknown[]): Promise<unknown> {
  const method: unknown = Reflect.get(storage, name)
  if (typeof method !== 'function') throw new TypeError(`${name} is not a function`)
  return Reflect.apply(method, storage, args)
}

describe('deferredStorage', () => {
  it('forwards every storage method, with its arguments, once the storage is ready', async () => {
    let open!: (storage: ChatStorage) => void
    const deferred = deferredStorage(new Promise(resolve => (open = resolve)))
    const forwarded = METHODS.filter(name => name !== 'ping' && name !== 'close')
    expect(forwarded.length).toBeGreaterThan(15)
    const answers = forwarded.map(name => call(deferred, name, name, 1))
    open(echoStorage())
    expect(await Promise.all(answers)).toEqual(forwarded.map(name => [name, [name, 1]]))
  })

  it('pings and closes the storage once it is ready', async () => {
    const storage = createSqliteStorage(':memory:')
    const deferred = deferredStorage(Promise.resolve(storage))
    expect(await deferred.ping()).toBe(true)
    await deferred.createRoom('general', null)
    expect(await deferred.lastSeq('general')).toBe(0)
    await deferred.close()
    await expect(storage.ping()).rejects.toThrow()
  })

  it('fails every call when the storage failed to start, answers ping with false and closes nothing', async () => {
    const failed = Promise.reject(new Error('no database'))
    failed.catch(() => {})
    const deferred = deferredStorage(failed)
    await expect(deferred.appendMessage({ room: 'general', user: { id: 'a', name: 'a', username: 'a' }, text: 'x', clientId: 'c' })).rejects.toThrow('no database')
    await expect(deferred.readSeqs('a')).rejects.toThrow('no database')
    expect(await deferred.ping()).toBe(false)
    await expect(deferred.close()).resolves.toBeUndefined()
  })

  it('is not a thenable, so it can be awaited and returned from async functions as itself', async () => {
    const deferred = deferredStorage(Promise.resolve(echoStorage()))
    expect(await Promise.resolve(deferred)).toBe(deferred)
  })
})
