import { createStorage } from 'unstorage'
import type { Storage } from 'unstorage'
import { beforeEach, describe, expect, it } from 'vitest'
import { ChatService } from '#server/utils/chat/chat-service'
import { Hub } from '#server/utils/chat/hub'
import { DEFAULT_LIMITS } from '#server/utils/chat/limits'
import { LocalFanOut } from '#server/utils/fan-out/local'
import { loadAttachment, saveAttachment } from '#server/utils/files/attachments'
import { sweepUnattached } from '#server/utils/files/upload-sweep'
import { createSqliteStorage } from '#server/utils/storage/sqlite'
import type { ChatStorage } from '#server/utils/storage/types'

const alice = { id: 'alice', name: 'alice', username: 'alice' }
const HOUR = 60 * 60 * 1000

/**
 * The attachment rules inside one instance, on a real (in-memory) SQLite storage and file store: two messages
 * sent at once cannot both take one upload, and the sweep tells attached from stray uploads by their age.
 */
describe('message files', () => {
  let files: Storage
  let storage: ChatStorage
  let chat: ChatService

  beforeEach(async () => {
    files = createStorage()
    storage = createSqliteStorage(':memory:')
    chat = new ChatService(storage, DEFAULT_LIMITS, new LocalFanOut(new Hub(), storage), null, files)
    await chat.ensureDefaultRoom()
  })

  const uploaded = (id: string, createdAt = Date.now()) =>
    saveAttachment(files, { id, room: 'general', uploaderId: alice.id, name: `${id}.txt`, size: 2, type: 'text/plain', createdAt }, Buffer.from('hi'))

  it('lets only one of two messages sent at once take the same upload', async () => {
    await uploaded('f1')
    const results = await Promise.allSettled([
      chat.postMessage(alice, 'general', 'first', 'c1', undefined, { attachments: ['f1'] }),
      chat.postMessage(alice, 'general', 'second', 'c2', undefined, { attachments: ['f1'] }),
    ])
    expect(results.filter(result => result.status === 'fulfilled')).toHaveLength(1)
    const refused = results.find(result => result.status === 'rejected')
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'attachment_in_use' })
    const stored = await storage.messagesAfter('general', 0, 10)
    expect(stored).toHaveLength(1)
    expect((await loadAttachment(files, 'f1'))!.messageId).toBe(stored[0]!.id)
  })

  it('sweeps only uploads older than the age that no message carries', async () => {
    await uploaded('stray', Date.now() - 2 * HOUR)
    await uploaded('recent')
    await uploaded('sent', Date.now() - 2 * HOUR)
    await chat.postMessage(alice, 'general', '', 'c3', undefined, { attachments: ['sent'] })
    expect(await sweepUnattached(files, storage, 60)).toBe(1)
    expect(await loadAttachment(files, 'stray')).toBeNull()
    expect(await files.getItemRaw('blob:stray')).toBeNull()
    expect(await loadAttachment(files, 'recent')).not.toBeNull()
    expect(await loadAttachment(files, 'sent')).not.toBeNull()
  })

  it('sweeps the files of a message retention removed, which deletes rows without their files', async () => {
    await uploaded('expired', Date.now() - 2 * HOUR)
    await uploaded('kept', Date.now() - 2 * HOUR)
    await chat.postMessage(alice, 'general', '', 'c4', undefined, { attachments: ['expired'] })
    expect(await storage.deleteMessagesBefore(Date.now() + 1, 1000)).toBe(1)
    await chat.postMessage(alice, 'general', '', 'c5', undefined, { attachments: ['kept'] })
    expect(await sweepUnattached(files, storage, 60)).toBe(1)
    expect(await loadAttachment(files, 'expired')).toBeNull()
    expect(await files.getItemRaw('blob:expired')).toBeNull()
    expect(await loadAttachment(files, 'kept')).not.toBeNull()
  })
})
