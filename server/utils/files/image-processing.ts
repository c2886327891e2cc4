import sharp from 'sharp'
import { ChatError } from '../chat/chat-error'

/** Longest side of a thumbnail, in pixels. */
export const THUMBNAIL_SIZE = 320

/** An image as banter keeps it: metadata gone, plus a small WebP to show in the message. */
export interface ProcessedImage {
  bytes: Buffer
  thumbnail: Buffer
  width: number
  height: number
}

/**
 * Re-encodes an uploaded image in its own format. sharp writes no metadata unless asked to, so EXIF (camera,
 * GPS position), XMP and ICC text are dropped; the EXIF orientation is applied to the pixels first so the
 * picture still stands the right way. Animated GIF and WebP keep their frames.
 */
export async function processImage(input: Buffer, type: string): Promise<ProcessedImage> {
  try {
    return await reencode(input, type)
  }
  catch {
    // Bytes that start like an image but do not decode: the upload's fault, not the server's.
    throw new ChatError('file_type_mismatch', 'The image could not be read.')
  }
}

async function reencode(input: Buffer, type: string): Promise<ProcessedImage> {
  const animated = type === 'image/gif' || type === 'image/webp'
  // limitInputPixels (sharp's default, 268 MP) refuses decompression bombs.
  const image = sharp(input, { animated }).rotate()
  const encoded = type === 'image/png'
    ? image.png()
    : type === 'image/gif'
      ? image.gif()
      : type === 'image/webp'
        ? image.webp()
        : image.jpeg({ quality: 90 })
  const { data, info } = await encoded.toBuffer({ resolveWithObject: true })
  const thumbnail = await sharp(input).rotate().resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true }).webp().toBuffer()
  return { bytes: data, thumbnail, width: info.width, height: info.pageHeight ?? info.height }
}
