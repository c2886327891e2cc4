import { beforeEach, describe, expect, it } from 'vitest'
import type { Attachment, User } from '#shared/protocol'
import type { ChatStorage } from '#server/utils/storage/types'
import type { StorageUnderTest } from './contract'

const alice: User = { id: 'a', name: 'alice', username: 'alice' }

const photo: Attachment = {
  id: 'f1', name: 'cat.png', size: 1234, type: 'image/png', url: '/api/files/f1',
  thumbnailUrl: '/api/files/f1/thumbnail', width: 640, height: 480,
}
const notes: Attachment = { id: 'f2', name: 'notes.txt', size: 12, type: 'application/octet-stream', url: '/api/files/f2' }

/**
 * Attachments, as every storage must keep them: a message carries its files in the order given through the live
 * answer, history, replay and a lookup by id, and a deleted message carries none. Runs inside the storage contract.
 */
export function describeAttachments(current: () => StorageUnderTest): void {
  describe('attachments', () => {
    let storage: ChatStorage
    beforeEach(() => {
      storage = current().storage
    })

    it('keeps a message\'s attachments in order, with an empty text, everywhere the message is read', async () => {
      const { message } = await storage.appendMessage({ room: 'general', user: alice, text: '', clientId: 'att-1', attachments: [photo, notes] })
      expect(message.attachments).toStrictEqual([photo, notes])
      const [history] = await storage.messagesBefore('general', message.seq + 1, 10)
      expect(history!.attachments).toStrictEqual([photo, notes])
      expect(history!.text).toBe('')
      const [replayed] = await storage.messagesAfter('general', message.seq - 1, 10)
      expect(replayed!.attachments).toStrictEqual([photo, notes])
      expect((await storage.messageIn('general', message.id))!.attachments).toStrictEqual([photo, notes])
    })

    it('leaves the field out for a message without attachments, and after a delete', async () => {
      const { message: plain } = await storage.appendMessage({ room: 'general', user: alice, text: 'hi', clientId: 'att-2' })
      expect(plain).not.toHaveProperty('attachments')
      const { message } = await storage.appendMessage({ room: 'general', user: alice, text: 'look', clientId: 'att-3', attachments: [photo] })
      const deleted = await storage.deleteMessage('general', message.id, alice.id, Date.now())
      expect(deleted.ok && deleted.message).not.toHaveProperty('attachments')
      const reread = await storage.messagesAfter('general', plain.seq - 1, 10)
      expect(reread.map(m => m.attachments)).toStrictEqual([undefined, undefined])
    })

    it('answers a retried clientId with the first message\'s attachments', async () => {
      await storage.appendMessage({ room: 'general', user: alice, text: 'once', clientId: 'att-4', attachments: [notes] })
      const again = await storage.appendMessage({ room: 'general', user: alice, text: 'once', clientId: 'att-4', attachments: [photo] })
      expect(again.duplicate).toBe(true)
      expect(again.message.attachments).toStrictEqual([notes])
    })
  })
}
