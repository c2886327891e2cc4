import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import S3rver from 's3rver'

/** s3rver's fixed credentials: any S3 client signs with these. */
export const S3_ACCESS_KEY_ID = 'S3RVER'
export const S3_SECRET_ACCESS_KEY = 'S3RVER'

export interface LocalS3 {
  endpoint: string
  bucket: string
  /** The NUXT_FILES_S3_* settings that point banter at this bucket. */
  env: Record<string, string>
  stop(): Promise<void>
}

/** A local S3-compatible server (s3rver) on a free loopback port, with one empty bucket, its data in a temp folder. */
export async function startLocalS3(bucket = 'banter-files'): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'banter-s3-'))
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] })
  const { port } = await server.run()
  const endpoint = `http://127.0.0.1:${port}`
  return {
    endpoint,
    bucket,
    env: {
      NUXT_FILES_S3_ENDPOINT: endpoint,
      NUXT_FILES_S3_BUCKET: bucket,
      NUXT_FILES_S3_REGION: 'us-east-1',
      NUXT_FILES_S3_ACCESS_KEY_ID: S3_ACCESS_KEY_ID,
      NUXT_FILES_S3_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY,
    },
    async stop() {
      await server.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
}
