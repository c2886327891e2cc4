import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
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
