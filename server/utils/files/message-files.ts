import type { Storage } from 'unstorage'
import type { Attachment, User } from '#shared/protocol'
import { MAX_ATTACHMENT_IDS } from '#shared/protocol-limits'
import { ChatError } from '../chat/chat-error'
import { attachmentView, loadAttachment, removeAttachment, saveRecord } from './attachments'
import type { AttachmentRecord } from './attachments'

/** A new message's attachments once checked: the records to mark attached after it is stored, and what it carries. */
export interface ClaimedFiles {
  records: AttachmentRecord[]
  views: Attachment[]
  /** Lets the ids go for another message: call once the message is stored (or refused). */
  release: () => void
}

const NOTHING: ClaimedFiles = { records: [], views: [], release: () => {} }

/** Ids a message of this instance is being stored with right now: two messages at once cannot both take one. */
const inFlight = new Set<string>()

/**
 * Checks the files a new message names: each must be an upload of the sender's to this very room (else
 * attachment_not_found, the same answer whether it exists elsewhere or not), not attached to another message
 * (attachment_in_use; a retry of the same clientId passes), at most `limit` of them, each named once.
 */
export async function claimFiles(store: Storage, user: User, room: string, clientId: string, ids: readonly string[], limit: number): Promise<ClaimedFiles> {
  if (ids.length === 0) return NOTHING
  if (ids.length > Math.min(limit, MAX_ATTACHMENT_IDS)) throw new ChatError('too_many_attachments', `A message carries at most ${Math.min(limit, MAX_ATTACHMENT_IDS)} attachments.`)
  if (new Set(ids).size !== ids.length) throw new ChatError('invalid_event', 'Each attachment is named once.')
  const records: AttachmentRecord[] = []
  for (const id of ids) {
    const record = await loadAttachment(store, id)
    if (!record || record.room !== room || record.uploaderId !== user.id) throw new ChatError('attachment_not_found')
    const retry = record.clientId === clientId
    if ((record.messageId !== undefined && !retry) || inFlight.has(id)) throw new ChatError('attachment_in_use')
    records.push(record)
  }
  for (const id of ids) inFlight.add(id)
  return {
    records,
    views: records.map(attachmentView),
    release: () => {
      for (const id of ids) inFlight.delete(id)
    },
  }
}

/** Marks the files as the stored message's: the sweep leaves them, and no other message may take them. */
export async function markAttached(store: Storage, records: readonly AttachmentRecord[], messageId: string, clientId: string): Promise<void> {
  for (const record of records) {
    if (record.messageId === messageId) continue
    await saveRecord(store, { ...record, messageId, clientId })
  }
}

/** A deleted message's files go with it: bytes, thumbnail and record. */
export async function removeMessageFiles(store: Storage, attachments: readonly Attachment[]): Promise<void> {
  for (const { id } of attachments) {
    const record = await loadAttachment(store, id)
    if (record) await removeAttachment(store, record)
  }
}

/**
 * Stores a new message with its files: checks them (claimFiles), stores the message carrying them, then marks
 * each file the message carries as attached to it (a retry whose first try stored the message marks them too).
 */
export async function storeWithFiles<Result extends { message: { id: string, attachments?: Attachment[] } }>(
  store: Storage, user: User, room: string, clientId: string, ids: readonly string[], limit: number,
  storeMessage: (attachments: Attachment[] | undefined) => Promise<Result>,
): Promise<Result> {
  // Most messages carry no file: they skip the store's lookups and their extra turns on the hot path.
  if (ids.length === 0) return storeMessage(undefined)
  const files = await claimFiles(store, user, room, clientId, ids, limit)
  try {
    const result = await storeMessage(files.views.length > 0 ? files.views : undefined)
    const carried = new Set((result.message.attachments ?? []).map(attachment => attachment.id))
    await markAttached(store, files.records.filter(record => carried.has(record.id)), result.message.id, clientId)
    return result
  }
  finally {
    files.release()
  }
}
