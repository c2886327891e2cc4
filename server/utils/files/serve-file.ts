import { pipeline } from 'node:stream/promises'
import type { H3Event } from 'h3'
import { ChatError } from '../chat/chat-error'
import { errorMessage } from '#shared/error-codes'
import { httpError } from '../request-input'
import { warnAtMostEveryMinute } from '../http/throttled-log'
import { useBanter } from '../banter'
import { loadConfig } from '../config/startup'
import { FILES_MOUNT } from './file-store'
import { attachmentBlobKey, loadAttachment, servedInline } from './attachments'
import type { AttachmentRecord } from './attachments'
import { blobReaderFor } from './blob-reader'
import type { BlobReader } from './blob-reader'
import { stillFresh, wantedBytes } from './byte-range'

let reader: BlobReader | null = null
const blobs = (): BlobReader => (reader ??= blobReaderFor(loadConfig()))

const ID = /^[0-9a-f-]{36}$/
const noSuchFile = () => httpError(404, 'not_found', 'There is no such file.')

/** A file's record for someone who may see its room; anyone else gets the same 404 as for no file at all. */
async function readableAttachment(event: H3Event): Promise<AttachmentRecord> {
  const user = await requireChatUser(event)
  const id = getRouterParam(event, 'id') ?? ''
  const notFound = noSuchFile()
  if (!ID.test(id)) throw notFound
  const record = await loadAttachment(useStorage(FILES_MOUNT), id)
  if (!record) throw notFound
  try {
    await useBanter().chat.requireAccess(record.room, user.id)
  }
  catch (error) {
    // forbidden would say the file exists: a non-member learns nothing.
    if (error instanceof ChatError) throw notFound
    throw error
  }
  return record
}

/** `filename*` carries any name (RFC 6266/5987); the plain `filename` is an ASCII stand-in for old clients. */
function disposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7E]|["\\]/g, '_')
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/**
 * Sends a file or its thumbnail, streamed from the store as the client takes it. Only a raster image banter
 * re-encoded is inline with its type; anything else (HTML, SVG, PDF, text) is an attachment of
 * application/octet-stream, so a browser never renders it on banter's origin. nosniff stops it guessing otherwise.
 * A file (not a thumbnail) is also sent in part, for a `Range`: a download picks up where it broke off. The
 * bytes never change under an id, so the id is the entity tag, and a browser's copy is revalidated with a 304.
 * HEAD answers the same headers.
 */
export async function sendAttachment(event: H3Event, part: 'file' | 'thumbnail'): Promise<void> {
  const record = await readableAttachment(event)
  const key = part === 'thumbnail' ? record.thumbnailKey : attachmentBlobKey(record)
  if (!key) throw noSuchFile()
  const etag = `"${record.id}${part === 'thumbnail' ? '-thumbnail' : ''}"`
  // Only members fetch it, so only the browser keeps it; only answers that are the file say so, never an error.
  const kept = { 'etag': etag, 'cache-control': 'private, max-age=86400' }
  setResponseHeader(event, 'x-content-type-options', 'nosniff')
  if (stillFresh(getRequestHeader(event, 'if-none-match'), etag)) {
    setResponseHeaders(event, kept)
    return sendNoContent(event, 304)
  }
  const wanted = part === 'file' ? wantedBytes(getRequestHeader(event, 'range'), getRequestHeader(event, 'if-range'), record.size, etag) : { kind: 'whole' as const }
  if (wanted.kind === 'beyond') {
    setResponseHeader(event, 'content-range', `bytes */${record.size}`)
    throw httpError(416, 'range_not_satisfiable', errorMessage('range_not_satisfiable'))
  }
  // HEAD asks the store for the size only.
  const head = event.method === 'HEAD'
  const blob = head ? null : await blobs().open(key, wanted.kind === 'part' ? wanted : undefined)
  const size = head ? await blobs().size(key) : blob?.size ?? null
  if (size === null) throw noSuchFile()
  const length = wanted.kind === 'part' ? wanted.end - wanted.start + 1 : size
  const inline = servedInline(record)
  setResponseHeaders(event, {
    ...kept,
    ...(part === 'file' && { 'accept-ranges': 'bytes' }),
    'content-type': part === 'thumbnail' ? 'image/webp' : inline ? record.type : 'application/octet-stream',
    'content-disposition': disposition(inline ? 'inline' : 'attachment', record.name),
    'content-length': length,
  })
  if (wanted.kind === 'part') {
    setResponseStatus(event, 206)
    setResponseHeader(event, 'content-range', `bytes ${wanted.start}-${wanted.end}/${size}`)
  }
  if (!blob) {
    event.node.res.end()
    return
  }
  // pipeline ends both sides whatever happens: a reader who leaves (even before the first byte) stops the read
  // from disk or the bucket, and a read that fails mid-file cuts the download rather than leaving it hanging.
  await pipeline(blob.body, event.node.res).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ERR_STREAM_PREMATURE_CLOSE') warnAtMostEveryMinute('file-send-failed', `a file stopped mid-send: ${error.message}`)
  })
}
