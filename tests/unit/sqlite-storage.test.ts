import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSqliteStorage } from '../../server/utils/storage/sqlite'
import type { ChatStorage } from '../../server/utils/storage/types'

const alice = { id: 'a', name: 'alice' }
const bob = { id: 'b', name: 'bob' }

describe('SQLite storage (a real file)', () => {
  let dir: string
  let storage: ChatStorage

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'banter-unit-'))
    storage = createSqliteStorage(join(dir, 'nested', 'banter.sqlite'))
    await storage.createRoom('general', null)
  })
  afterEach(async () => {
    await storage.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates rooms once', async () => {
    expect(await storage.createRoom('plans', 'alice')).toMatchObject({ name: 'plans', createdBy: 'alice' })
    expect(await storage.createRoom('plans', 'bob')).toBeNull()
    expect((await storage.listRooms()).map(room => room.name)).toEqual(['general', 'plans'])
    expect(await storage.getRoom('nope')).toBeNull()
  })

  it('numbers each room\'s messages 1, 2, 3… independently, with unique ids', async () => {
    await storage.createRoom('other', null)
    const seqs = []
    for (let index = 0; index < 5; index++) {
      seqs.push((await storage.appendMessage({ room: 'general', user: alice, text: `g${index}`, clientId: `g${index}` })).message.seq)
    }
    const other = await storage.appendMessage({ room: 'other', user: alice, text: 'o', clientId: 'o1' })
    expect(seqs).toEqual([1, 2, 3, 4, 5])
    expect(other.message.seq).toBe(1)
    expect(await storage.lastSeq('general')).toBe(5)
    const ids = new Set((await storage.messagesAfter('general', 0, 100)).map(message => message.id).concat(other.message.id))
    expect(ids.size).toBe(6)
  })

  it('stores a repeated (user, clientId) once and returns the first message', async () => {
    const first = await storage.appendMessage({ room: 'general', user: alice, text: 'hi', clientId: 'same' })
    const again = await storage.appendMessage({ room: 'general', user: alice, text: 'hi', clientId: 'same' })
    const fromBob = await storage.appendMessage({ room: 'general', user: bob, text: 'hi', clientId: 'same' })
    expect(first.duplicate).toBe(false)
    expect(again).toEqual({ message: first.message, duplicate: true })
    expect(fromBob.duplicate).toBe(false)
    expect(fromBob.message.seq).toBe(2)
  })

  it('refuses a message for a room that does not exist', async () => {
    await expect(storage.appendMessage({ room: 'ghost', user: alice, text: 'x', clientId: 'x' })).rejects.toThrow(/Unknown room/)
  })

  it('pages history in ascending order', async () => {
    for (let index = 1; index <= 7; index++) await storage.appendMessage({ room: 'general', user: alice, text: `${index}`, clientId: `${index}` })
    expect((await storage.messagesBefore('general', Number.MAX_SAFE_INTEGER, 3)).map(message => message.seq)).toEqual([5, 6, 7])
    expect((await storage.messagesBefore('general', 5, 3)).map(message => message.seq)).toEqual([2, 3, 4])
    expect((await storage.messagesAfter('general', 5, 10)).map(message => message.seq)).toEqual([6, 7])
  })

  it('keeps messages across a restart', async () => {
    const path = join(dir, 'restart.sqlite')
    const first = createSqliteStorage(path)
    await first.createRoom('general', null)
    await first.appendMessage({ room: 'general', user: alice, text: 'persisted', clientId: 'p' })
    await first.close()
    const second = createSqliteStorage(path)
    expect((await second.messagesAfter('general', 0, 10)).map(message => message.text)).toEqual(['persisted'])
    expect((await second.appendMessage({ room: 'general', user: alice, text: 'next', clientId: 'n' })).message.seq).toBe(2)
    await second.close()
  })

  describe('name claims', () => {
    const hour = 60 * 60 * 1000
    const day = 24 * hour

    it('holds a name, case-insensitively, while its holder is active', async () => {
      expect(await storage.claimName('Alice', 'a', 0, -day)).toBe(true)
      expect(await storage.claimName('alice', 'b', hour, hour - day)).toBe(false)
      expect(await storage.claimName('ALICE', 'a', hour, hour - day)).toBe(true)
    })

    it('frees a name after 24 hours without activity, and activity renews the hold', async () => {
      await storage.claimName('alice', 'a', 0, -day)
      expect(await storage.touchName('a', 20 * hour)).toBe(true)
      const now = 30 * hour
      expect(await storage.claimName('alice', 'b', now, now - day)).toBe(false)
      const later = 45 * hour
      expect(await storage.claimName('alice', 'b', later, later - day)).toBe(true)
      expect(await storage.touchName('a', later)).toBe(false)
    })

    it('frees a name on sign-out and when its holder picks another', async () => {
      await storage.claimName('alice', 'a', 0, -day)
      await storage.claimName('alicia', 'a', 1, 1 - day)
      expect(await storage.claimName('alice', 'b', 2, 2 - day)).toBe(true)
      await storage.releaseName('a')
      expect(await storage.claimName('alicia', 'c', 3, 3 - day)).toBe(true)
    })
  })
})
