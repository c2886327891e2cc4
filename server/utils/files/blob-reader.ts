import { open } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { AwsClient } from 'aws4fetch'
import type { BanterConfig } from '../config/schema'

/** A stored file opened for sending: its bytes as they come from disk or the bucket, and how many there are. */
export interface OpenBlob {
  body: Readable
  size: number
}

/**
 * Reads stored files as streams, so sending one never holds it whole in memory (unstorage's `getItemRaw` does:
 * a room's ten-MiB files to fifty readers was half a GiB). Keys are the file store's (`blob:ID`), laid out as
 * unstorage's fs and s3 drivers lay them out (file-store.ts): each `:` a folder.
 */
export interface BlobReader {
  /** The stored file, or null when there is none. */
  open(key: string): Promise<OpenBlob | null>
}

const segments = (key: string): string[] => key.split(':').filter(segment => segment !== '' && segment !== '.' && segment !== '..')

export function blobReaderFor(config: BanterConfig): BlobReader {
  return config.filesS3Endpoint ? s3Reader(config) : diskReader(resolve(config.filesDir))
}

function diskReader(base: string): BlobReader {
  return {
    async open(key) {
      // Opened first, then measured: a file deleted in between cannot turn into a stream that fails.
      const handle = await open(join(base, ...segments(key))).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null
        throw error
      })
      if (!handle) return null
      try {
        const { size } = await handle.stat()
        return { body: handle.createReadStream(), size }
      }
      catch (error) {
        await handle.close()
        throw error
      }
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
  return {
    async open(key) {
      // The bytes as stored: a compressed answer would be unpacked by fetch, and its length would no longer hold.
      const request = await client.sign(`${base}/${segments(key).map(encodeURIComponent).join('/')}`, { headers: { 'accept-encoding': 'identity' } })
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
      return { body: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), size: Number(length) }
    },
  }
}
