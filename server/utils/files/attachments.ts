import type { Storage } from 'unstorage'
import { randomUUID } from 'node:crypto'
import { INLINE_IMAGE_TYPES } from './file-kind'

/** What banter knows of one uploaded file (the bytes are stored beside it under `blob:<id>`). */
export interface AttachmentRecord {
  id: string
  room: string
  uploaderId: string
  name: string
  size: number
  type: string
  /** Set for an image: the key of its WebP thumbnail. */
  thumbnailKey?: string
  width?: number
  height?: number
  createdAt: number
  /** Set once a message carries it: that message's id, and the clientId it was sent with (so a retry passes). */
  messageId?: string
  clientId?: string
}

/** What a client is told of an attachment: no storage keys. */
export interface AttachmentView {
  id: string
  name: string
  size: number
  type: string
  url: string
  thumbnailUrl?: string
  width?: number
  height?: number
}

const blobKey = (id: string) => `blob:${id}`
const metaKey = (id: string) => `meta:${id}`
const thumbKey = (id: string) => `thumb:${id}`

export const newAttachmentId = (): string => randomUUID()

/** Keeps the bytes (and thumbnail) first, then the record: a record always has its bytes. */
export async function saveAttachment(store: Storage, record: Omit<AttachmentRecord, 'thumbnailKey'>, bytes: Buffer, thumbnail?: Buffer): Promise<AttachmentRecord> {
  await store.setItemRaw(blobKey(record.id), bytes)
  const saved: AttachmentRecord = { ...record }
  if (thumbnail) {
    await store.setItemRaw(thumbKey(record.id), thumbnail)
    saved.thumbnailKey = thumbKey(record.id)
  }
  await store.setItem(metaKey(record.id), JSON.stringify(saved))
  return saved
}

/** Rewrites a record (its bytes stay as they are). */
export async function saveRecord(store: Storage, record: AttachmentRecord): Promise<void> {
  await store.setItem(metaKey(record.id), JSON.stringify(record))
}

/** Every stored record's id, for the sweep. */
export async function attachmentIds(store: Storage): Promise<string[]> {
  return (await store.getKeys('meta')).map(key => key.slice(key.indexOf(':') + 1))
}

export async function loadAttachment(store: Storage, id: string): Promise<AttachmentRecord | null> {
  const raw = await store.getItem(metaKey(id))
  if (raw === null || raw === undefined) return null
  return (typeof raw === 'string' ? JSON.parse(raw) : raw) as AttachmentRecord
}

export const attachmentBlobKey = (record: AttachmentRecord): string => blobKey(record.id)

export async function removeAttachment(store: Storage, record: AttachmentRecord): Promise<void> {
  await store.removeItem(metaKey(record.id))
  await store.removeItem(blobKey(record.id))
  if (record.thumbnailKey) await store.removeItem(record.thumbnailKey)
}

export function attachmentView(record: AttachmentRecord): AttachmentView {
  return {
    id: record.id,
    name: record.name,
    size: record.size,
    type: record.type,
    url: `/api/files/${record.id}`,
    ...(record.thumbnailKey && { thumbnailUrl: `/api/files/${record.id}/thumbnail` }),
    ...(record.width !== undefined && { width: record.width, height: record.height }),
  }
}

/** Only a raster image banter re-encoded is shown inline; everything else downloads as opaque bytes. */
export const servedInline = (record: AttachmentRecord): boolean => INLINE_IMAGE_TYPES.has(record.type)
