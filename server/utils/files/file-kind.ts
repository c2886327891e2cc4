import { fileTypeFromBuffer } from 'file-type'
import { ChatError } from '../chat/chat-error'

/** Raster images a browser may show inline from banter's origin: they cannot carry script. */
export const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

/** What the bytes are, which may differ from what the client said. */
export interface FileKind {
  /** The type served (and recorded). */
  type: string
  /** True for a raster image re-encoded by banter: shown inline with a thumbnail. */
  image: boolean
}

const GENERIC_TYPES = new Set(['', 'application/octet-stream'])

/**
 * The file's real type, from its bytes (file-type). A declared type that disagrees with what the bytes are
 * is refused (415 file_type_mismatch): a PNG named text/plain, or text claiming to be an image. Bytes
 * file-type does not know (text, HTML, SVG) keep the declared type, but are never served inline.
 */
export async function detectFileKind(bytes: Uint8Array, declaredType: string): Promise<FileKind> {
  const declared = declaredType.split(';')[0]!.trim().toLowerCase()
  const detected = await fileTypeFromBuffer(bytes)
  if (detected) {
    if (!GENERIC_TYPES.has(declared) && declared !== detected.mime) throw new ChatError('file_type_mismatch')
    return { type: detected.mime, image: INLINE_IMAGE_TYPES.has(detected.mime) }
  }
  // Nothing binary was recognised: a declared raster image (or any type file-type would know) is a lie.
  if (INLINE_IMAGE_TYPES.has(declared)) throw new ChatError('file_type_mismatch')
  return { type: GENERIC_TYPES.has(declared) ? 'application/octet-stream' : declared, image: false }
}
