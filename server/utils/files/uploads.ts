import type { H3Event } from 'h3'
import type { User } from '#shared/protocol'
import { ChatError } from '../chat/chat-error'
import type { SharedRates } from '../rates/shared-rates'
import { useBanter } from '../banter'
import { FILES_MOUNT } from './file-store'
import { detectFileKind } from './file-kind'
import { processImage } from './image-processing'
import { readUploadBody } from './upload-body'
import { UploadSlots } from './upload-slots'
import { newAttachmentId, saveAttachment } from './attachments'
import type { AttachmentRecord } from './attachments'

let rates: SharedRates | null = null
let slots: UploadSlots | null = null
/** Uploads per user, over every instance alike: a burst of a minute's worth, then the rate. */
function uploadRates(): SharedRates {
  const { rates: sharedRates, chat: { limits } } = useBanter()
  rates ??= sharedRates('uploads', limits.uploadsPerMinute, limits.uploadsPerMinute / 60)
  return rates
}

/** Uploads being read on this instance right now (a metric). */
export const uploadsInFlight = (): number => slots?.inFlight ?? 0

/** Uploads being read on this instance at once (upload-slots.ts). */
function uploadSlots(): UploadSlots {
  const { limits } = useBanter().chat
  slots ??= new UploadSlots(limits.uploadsInFlight, Math.max(1, Math.floor(limits.uploadsInFlight / 4)))
  return slots
}

const MAX_NAME_LENGTH = 255

/** The file's name as shown: no folders, no control characters, at most 255 characters; `file` if none is left. */
export function cleanFileName(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : ''
  const base = text.split(/[\\/]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '').trim().slice(0, MAX_NAME_LENGTH)
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean
}

/**
 * One upload to a room by one of its members: the rate and the room's access are checked before the body
 * is read, the body is read up to the size limit, its real type taken from its bytes, images re-encoded
 * without metadata and given a thumbnail, then bytes and record are stored.
 */
export async function acceptUpload(event: H3Event, user: User, room: string): Promise<AttachmentRecord> {
  const { chat } = useBanter()
  const wait = await uploadRates().take(user.id)
  if (wait > 0) throw new ChatError('rate_limited', undefined, wait)
  await chat.requireAccess(room, user.id)
  const release = uploadSlots().take(user.id)
  try {
    const body = await readUploadBody(event, chat.limits.maxUploadBytes)
    if (body.length === 0) throw new ChatError('invalid_event', 'An upload needs a body: the file\'s bytes.')
    const kind = await detectFileKind(body, getRequestHeader(event, 'content-type') ?? '')
    const image = kind.image ? await processImage(body, kind.type) : null
    const bytes = image?.bytes ?? body
    return await saveAttachment(useStorage(FILES_MOUNT), {
      id: newAttachmentId(),
      room,
      uploaderId: user.id,
      name: cleanFileName(getQuery(event).name),
      size: bytes.length,
      type: kind.type,
      ...(image && { width: image.width, height: image.height }),
      createdAt: Date.now(),
    }, bytes, image?.thumbnail)
  }
  finally {
    release()
  }
}
