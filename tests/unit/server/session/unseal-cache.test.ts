import { describe, expect, it } from 'vitest'
import { UnsealCache } from '#server/utils/session/unseal-cache'

/** A computation that counts its calls and resolves to whatever the test says. */
function counted<T>(result: () => T | null | Promise<T | null>) {
  const calls = { count: 0 }
  return { calls, compute: async () => {
    calls.count++
    return await result()
  } }
}

describe('UnsealCache', () => {
  it('computes once per key within the time to live, and again after it', async () => {
    const cache = new UnsealCache<string>(1000, 10)
    const { calls, compute } = counted(() => 'alice')
    expect(await cache.get('cookie-a', 0, compute)).toBe('alice')
    expect(await cache.get('cookie-a', 999, compute)).toBe('alice')
    expect(calls.count).toBe(1)
    expect(await cache.get('cookie-a', 1000, compute)).toBe('alice')
    expect(calls.count).toBe(2)
  })

  it('shares one computation between callers asking at once', async () => {
    const cache = new UnsealCache<string>(1000, 10)
    const { calls, compute } = counted(() => new Promise<string>(resolve => setImmediate(() => resolve('bob'))))
    const results = await Promise.all([cache.get('k', 0, compute), cache.get('k', 1, compute), cache.get('k', 2, compute)])
    expect(results).toEqual(['bob', 'bob', 'bob'])
    expect(calls.count).toBe(1)
  })

  it('keeps neither a null result nor a failure', async () => {
    const cache = new UnsealCache<string>(1000, 10)
    const nothing = counted(() => null)
    expect(await cache.get('k', 0, nothing.compute)).toBeNull()
    expect(await cache.get('k', 1, nothing.compute)).toBeNull()
    expect(nothing.calls.count).toBe(2)
    const failing = counted<string>(() => Promise.reject(new Error('tampered')))
    await expect(cache.get('j', 0, failing.compute)).rejects.toThrow('tampered')
    await expect(cache.get('j', 1, failing.compute)).rejects.toThrow('tampered')
    expect(failing.calls.count).toBe(2)
  })

  it('drops the oldest key beyond its size and keeps the others', async () => {
    const cache = new UnsealCache<string>(1000, 2)
    const { calls, compute } = counted(() => 'x')
    for (const key of ['a', 'b', 'c']) await cache.get(key, 0, compute)
    expect(calls.count).toBe(3)
    await cache.get('c', 1, compute)
    await cache.get('b', 1, compute)
    expect(calls.count).toBe(3)
    await cache.get('a', 1, compute)
    expect(calls.count).toBe(4)
  })
})
