import { open, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { AwsClient } from 'aws4fetch'
import type { BanterConfig } from '../config/schema'

/** A stored file opened for sending: its bytes (all, or the part asked for) as they come, and their count. */
export interface OpenBlob {
  body: Readable
  /** The stored file's size. */
  size: number
  /** How many bytes `body` carries. */
  length: number
}

/** Bytes `start` to `end`, both included, of a stored file. */
export interface BytePart {
  start: number
  end: number
}

/**
 * Reads stored files as streams, so sending one never holds it whole in memory (unstorage's `getItemRaw` does:
 * a room's ten-MiB files to fifty readers was half a GiB). Keys are the file store's (`blob:ID`), laid out as
 * unstorage's fs and s3 drivers lay them out (file-store.ts): each `:` a folder.
 */
export interface BlobReader {
  /** The stored file, or `part` of it, or null when there is none. A part beyond the file's end is an error. */
  open(key: string, part?: BytePart): Promise<OpenBlob | null>
  /** The stored file's size without its bytes (for HEAD), or null when there is none. */
  size(key: string): Promise<number | null>
}

const segments = (key: string): string[] => key.split(':').filter(segment => segment !== '' && segment !== '.' && segment !== '..')

export function blobReaderFor(config: BanterConfig): BlobReader {
  return config.filesS3Endpoint ? s3Reader(config) : diskReader(resolve(config.filesDir))
}

function diskReader(base: string): BlobReader {
  return {
    async open(key, part) {
      // Opened first, then measured: a file deleted in between cannot turn into a stream that fails.
      const handle = await open(join(base, ...segments(key))).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null
        throw error
      })
      if (!handle) return null
      try {
        const { size } = await handle.stat()
        if (!part) return { body: handle.createReadStream(), size, length: size }
        if (part.end >= size) throw new Error(`bytes ${part.start}-${part.end} are beyond the ${size} of ${key}`)
        return { body: handle.createReadStream({ start: part.start, end: part.end }), size, length: part.end - part.start + 1 }
      }
      catch (error) {
        await handle.close()
        throw error
      }
    },
    async size(key) {
      const found = await stat(join(base, ...segments(key))).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null
        throw error
      })
      return found?.isFile() ? found.size : null
    },
  }
}

function s3Reader(config: BanterConfig): BlobReader {
  const client = new AwsClient({
    service: 's3',
    accessKeyId: config.filesS3AccessKeyId,
    secretAccessKey: config.filesS3SecretAccessKey,
    region: config.filesS3Region,
  })
  const base = `${config.filesS3Endpoint.replace(/\/$/, '')}/${config.filesS3Bucket}`
  const urlOf = (key: string) => `${base}/${segments(key).map(encodeURIComponent).join('/')}`
  return {
    async open(key, part) {
      // The bytes as stored: a compressed answer would be unpacked by fetch, and its length would no longer hold.
      const headers: Record<string, string> = { 'accept-encoding': 'identity', ...(part && { range: `bytes=${part.start}-${part.end}` }) }
      const request = await client.sign(urlOf(key), { headers })
      const response = await fetch(request)
      const refuse = async (why: string) => {
        await response.body?.cancel()
        return new Error(`the file store ${why} for ${key}`)
      }
      if (response.status === 404) {
        await response.body?.cancel()
        return null
      }
      if (!response.ok || !response.body) throw await refuse(`answered ${response.status}`)
      const length = response.headers.get('content-length') ?? ''
      if (!/^\d+$/.test(length)) throw await refuse('sent no length')
      const encoding = response.headers.get('content-encoding')
      if (encoding && encoding !== 'identity') throw await refuse(`sent ${encoding}-encoded bytes`)
      const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>)
      if (!part) return { body, size: Number(length), length: Number(length) }
      // A bucket that ignored the range (200) or sent other bytes than asked would corrupt the part.
      const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(response.headers.get('content-range') ?? '')
      if (response.status !== 206 || !range || Number(range[1]) !== part.start || Number(range[2]) !== part.end || Number(length) !== part.end - part.start + 1) {
        body.destroy()
        throw new Error(`the file store did not send bytes ${part.start}-${part.end} of ${key}`)
      }
      return { body, size: Number(range[3]), length: Number(length) }
    },
    async size(key) {
      const response = await fetch(await client.sign(urlOf(key), { method: 'HEAD', headers: { 'accept-encoding': 'identity' } }))
      if (response.status === 404) return null
      const length = response.headers.get('content-length') ?? ''
      if (!response.ok || !/^\d+$/.test(length)) throw new Error(`the file store answered ${response.status} (length ${length || 'none'}) for ${key}`)
      return Number(length)
    },
  }
}
