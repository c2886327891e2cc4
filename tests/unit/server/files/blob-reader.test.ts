import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BanterConfig } from '#server/utils/config/schema'
import { blobReaderFor } from '#server/utils/files/blob-reader'
import { createFileStore } from '#server/utils/files/file-store'

describe('the blob reader on disk', () => {
  const base = mkdtempSync(join(tmpdir(), 'banter-blobs-'))
  const config = { filesDir: base, filesS3Endpoint: '' } as BanterConfig
  writeFileSync(join(base, 'outside'), 'not a stored file')
  const reader = blobReaderFor(config)

  it('reads a file where the file store (unstorage\'s fs driver) wrote it, with its size', async () => {
    await createFileStore(config).setItemRaw('blob:abc', Buffer.from('the bytes'))
    const blob = await reader.open('blob:abc')
    expect(blob?.size).toBe(9)
    expect((await buffer(blob!.body)).toString()).toBe('the bytes')
  })

  it('answers null for a file that is not there, and never walks out of its folder', async () => {
    expect(await reader.open('blob:missing')).toBeNull()
    expect(await reader.open('blob:..:outside')).toBeNull()
  })

  it('reads a part of a file, and refuses a part beyond its end', async () => {
    await createFileStore(config).setItemRaw('blob:part', Buffer.from('0123456789'))
    const blob = await reader.open('blob:part', { start: 2, end: 5 })
    expect({ size: blob?.size, length: blob?.length }).toEqual({ size: 10, length: 4 })
    expect((await buffer(blob!.body)).toString()).toBe('2345')
    await expect(reader.open('blob:part', { start: 5, end: 10 })).rejects.toThrow(/beyond/)
  })

  it('measures a file without opening it, and answers null for none', async () => {
    await createFileStore(config).setItemRaw('blob:measured', Buffer.from('twelve bytes'))
    expect(await reader.size('blob:measured')).toBe(12)
    expect(await reader.size('blob:missing')).toBeNull()
    expect(await reader.size('blob:..:outside')).toBeNull()
  })
})

describe('the blob reader on a bucket', () => {
  // A stand-in for a bucket that ignores Range and sends the whole object (200), as some S3 look-alikes do.
  const whole = Buffer.from('the whole object')
  const bucket = createServer((request, response) => {
    response.writeHead(200, { 'content-length': whole.length, 'content-type': 'application/octet-stream' })
    response.end(whole)
  })
  let config: BanterConfig
  beforeAll(async () => {
    await new Promise<void>(resolve => bucket.listen(0, '127.0.0.1', resolve))
    const endpoint = `http://127.0.0.1:${(bucket.address() as AddressInfo).port}`
    config = { filesS3Endpoint: endpoint, filesS3Bucket: 'files', filesS3Region: 'us-east-1', filesS3AccessKeyId: 'k', filesS3SecretAccessKey: 's' } as BanterConfig
  })
  afterAll(() => new Promise<void>(resolve => bucket.close(() => resolve())))

  it('refuses a part the bucket did not send, rather than pass the whole object off as it', async () => {
    const reader = blobReaderFor(config)
    await expect(reader.open('blob:abc', { start: 0, end: 3 })).rejects.toThrow(/did not send bytes 0-3/)
    const blob = await reader.open('blob:abc')
    expect({ size: blob?.size, length: blob?.length }).toEqual({ size: whole.length, length: whole.length })
    expect((await buffer(blob!.body)).equals(whole)).toBe(true)
    expect(await reader.size('blob:abc')).toBe(whole.length)
  })
})
