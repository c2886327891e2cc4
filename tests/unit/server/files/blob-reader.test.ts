import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
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
})
