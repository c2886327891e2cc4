import { describe, expect, it } from 'vitest'
import { backoffDelay, retryingStorage } from '#server/utils/storage/retrying'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import type { ChatStorage } from '#server/utils/storage/types'
import { isStorageUnavailable } from '#server/utils/storage/unavailable'

/** Every method a real storage has, as the retrying storage must forward them. */
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

const noDelay = () => 1

describe('retryingStorage', () => {
  it('forwards every storage method, with its arguments, once the storage is open', async () => {
    const { storage, ready } = retryingStorage(async () => echoStorage(), () => {}, noDelay)
    await ready
    const forwarded = METHODS.filter(name => name !== 'ping' && name !== 'close')
    expect(forwarded.length).toBeGreaterThan(15)
    const answers = await Promise.all(forwarded.map(name => call(storage, name, name, 1)))
    expect(answers).toEqual(forwarded.map(name => [name, [name, 1]]))
  })

  it('fails calls at once with an "unavailable" error while the database is down, then opens on a later attempt', async () => {
    const failures: number[] = []
    let attempts = 0
    let allowOpen!: () => void
    const reachable = new Promise<void>(resolve => (allowOpen = resolve))
    let up = false
    void reachable.then(() => (up = true))
    const { storage, ready } = retryingStorage(async () => {
      attempts++
      if (!up) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
      return createSqliteStorage(':memory:')
    }, (_error, attempt) => failures.push(attempt), noDelay)

    const refused = await storage.lastSeq('general').then(() => null, (error: unknown) => error)
    expect(isStorageUnavailable(refused)).toBe(true)
    expect(await storage.ping()).toBe(false)
    while (failures.length < 3) await new Promise(resolve => setTimeout(resolve, 5))
    allowOpen()
    await ready
    expect(failures.slice(0, 3)).toEqual([0, 1, 2])
    expect(attempts).toBe(failures.length + 1)
    expect(await storage.ping()).toBe(true)
    await storage.createRoom('general', null)
    expect(await storage.lastSeq('general')).toBe(0)
    await storage.close()
  })

  it('stops trying once closed', async () => {
    let attempts = 0
    const { storage } = retryingStorage(async () => {
      attempts++
      throw new Error('down')
    }, () => {}, () => 20)
    await storage.close()
    const seen = attempts
    await new Promise(resolve => setTimeout(resolve, 60))
    expect(attempts).toBe(seen)
  })

  it('backs off from half a second, doubling, up to a ceiling', () => {
    expect([0, 1, 2, 3, 4, 10].map(attempt => backoffDelay(attempt))).toEqual([500, 1000, 2000, 4000, 5000, 5000])
  })

  it('is not a thenable, so it can be awaited and returned from async functions as itself', async () => {
    const { storage } = retryingStorage(async () => echoStorage(), () => {}, noDelay)
    expect(await Promise.resolve(storage)).toBe(storage)
  })
})
