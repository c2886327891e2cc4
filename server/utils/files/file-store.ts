import { createStorage } from 'unstorage'
import type { Storage } from 'unstorage'
import fsDriver from 'unstorage/drivers/fs'
import s3Driver from 'unstorage/drivers/s3'
import type { BanterConfig } from '../config/schema'

/** The unstorage mount name: `useStorage('files')` in Nitro reads the same bytes. */
export const FILES_MOUNT = 'files'

/**
 * Where uploaded bytes live: a folder on disk by default, or an S3-compatible bucket when an endpoint is set,
 * so several instances serve the same files. The mount is made once at boot (server/plugins/files.ts).
 */
export function filesDriverFor(config: BanterConfig) {
  if (config.filesS3Endpoint) {
    return s3Driver({
      endpoint: config.filesS3Endpoint,
      bucket: config.filesS3Bucket,
      region: config.filesS3Region,
      accessKeyId: config.filesS3AccessKeyId,
      secretAccessKey: config.filesS3SecretAccessKey,
    })
  }
  return fsDriver({ base: config.filesDir })
}

/** A standalone store over the same driver, for tests and tools outside Nitro. */
export function createFileStore(config: BanterConfig): Storage {
  return createStorage({ driver: filesDriverFor(config) })
}
