import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
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
      const path = join(base, ...segments(key))
      try {
        const { size } = await stat(path)
        return { body: createReadStream(path), size }
      }
      catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
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
      const response = await fetch(await client.sign(`${base}/${segments(key).map(encodeURIComponent).join('/')}`))
      if (response.status === 404) return null
      if (!response.ok || !response.body) throw new Error(`the file store answered ${response.status} for ${key}`)
      const size = Number(response.headers.get('content-length'))
      if (!Number.isSafeInteger(size)) {
        await response.body.cancel()
        throw new Error(`the file store sent ${key} without its length`)
      }
      return { body: Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), size }
    },
  }
}
