import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it, vi } from 'vitest'
import { createSqliteStorage } from '../../server/utils/storage/sqlite'
import type { ChatStorage } from '../../server/utils/storage/types'
import { describeStorageContract } from './storage-contract'

/** A real SQLite file in a fresh temporary directory; a nested path checks that missing folders get created. */
function sqliteUnderTest() {
  const dir = mkdtempSync(join(tmpdir(), 'banter-unit-'))
  const path = join(dir, 'nested', 'banter.sqlite')
  const opened: ChatStorage[] = []
  const open = () => {
    const storage = createSqliteStorage(path)
    opened.push(storage)
    return storage
  }
  return {
    path,
    storage: open(),
    openAnother: async () => open(),
    cleanup: async () => {
      for (const storage of opened) await storage.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

describeStorageContract('SQLite', async () => sqliteUnderTest())

it('SQLite storage creates the folders of its file', async () => {
  const underTest = sqliteUnderTest()
  expect(existsSync(underTest.path)).toBe(true)
  await underTest.cleanup()
})

it('SQLite storage checkpoints the WAL into the database file without a commit doing it', async () => {
  const underTest = sqliteUnderTest()
  await underTest.storage.createRoom('general', null)
  const sizeAtStart = statSync(underTest.path).size
  const alice = { id: 'a', name: 'alice' }
  await Promise.all(Array.from({ length: 2000 }, (_, index) =>
    underTest.storage.appendMessage({ room: 'general', user: alice, text: `message ${index} `.repeat(10), clientId: `c${index}` })))
  // The main connection no longer checkpoints on commit: only the worker can grow the database file.
  await vi.waitFor(() => expect(statSync(underTest.path).size).toBeGreaterThan(sizeAtStart + 200_000), { timeout: 5000, interval: 20 })
  await underTest.cleanup()
})
