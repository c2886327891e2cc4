import type { Attachment, ChatMessage } from '#shared/protocol'
import type { NewMessage } from './types'

/** The `attachments` column of a `messages` row: the attachments as JSON, null when none (or deleted). */
export interface AttachmentColumns {
  attachments: string | null
}

/** What a new message's row stores of its attachments. */
export const attachmentsColumn = (message: NewMessage): string | null =>
  message.attachments && message.attachments.length > 0 ? JSON.stringify(message.attachments) : null

/** The attachments a stored row carries, left out when none, as every absent field is. */
export function attachmentFieldsOf(row: AttachmentColumns): Pick<ChatMessage, 'attachments'> {
  if (row.attachments === null) return {}
  const attachments = JSON.parse(row.attachments) as Attachment[]
  return attachments.length > 0 ? { attachments } : {}
}

/** A new message's attachments as the storage answers them. */
export const newAttachmentFields = (message: NewMessage): Pick<ChatMessage, 'attachments'> =>
  message.attachments && message.attachments.length > 0 ? { attachments: message.attachments } : {}
