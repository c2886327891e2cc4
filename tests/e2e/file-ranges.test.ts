import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { startLocalS3 } from '../support/s3-server'
import type { LocalS3 } from '../support/s3-server'
import { signIn, uniqueName } from './support/client'
import { makeRoom, upload } from './support/files'

/**
 * Parts of a file (`Range`) and revalidation (`If-None-Match`), from disk and from an S3-compatible bucket: a
 * broken download picks up where it stopped, a video seeks, a browser's copy is confirmed without the bytes.
 */
describe.each(['disk', 'bucket'] as const)('a file in part, from the %s', (where) => {
  let s3: LocalS3 | null = null
  let server: RunningServer
  let cookie: string
  let url: string
  const bytes = randomBytes(200_000)

  beforeAll(async () => {
    s3 = where === 'bucket' ? await startLocalS3() : null
    server = await startServer(s3?.env ?? {})
    cookie = (await signIn(server.url, uniqueName('alice'))).cookie
    const room = await makeRoom(server, cookie)
    const { status, body } = await upload(server, cookie, room, bytes, 'application/octet-stream', 'data.bin')
    expect(status).toBe(201)
    url = `${server.url}${body.attachment.url}`
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
    await s3?.stop()
  })

  const get = (headers: Record<string, string>) => fetch(url, { headers: { cookie, ...headers } })
  const expectPart = async (range: string, start: number, end: number) => {
    const response = await get({ range })
    expect({ range, status: response.status, contentRange: response.headers.get('content-range'), length: response.headers.get('content-length') })
      .toEqual({ range, status: 206, contentRange: `bytes ${start}-${end}/${bytes.length}`, length: String(end - start + 1) })
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes.subarray(start, end + 1))).toBe(true)
  }

  it('sends one range of bytes: from a start to an end, to the end of the file, or the last few', async () => {
    await expectPart('bytes=0-9', 0, 9)
    await expectPart('bytes=150000-', 150_000, bytes.length - 1)
    await expectPart('bytes=-5', bytes.length - 5, bytes.length - 1)
    await expectPart('bytes=199990-500000', 199_990, bytes.length - 1)
    // Overlapping ranges are one range.
    await expectPart('bytes=10-20,15-30', 10, 30)
  })

  it('says it takes ranges, and sends the whole file for a malformed or reversed range, another unit, several ranges or another version', async () => {
    const asked: Record<string, string>[] = [{}, { range: 'bytes=abc' }, { range: 'bytes=9-2' }, { range: 'items=0-5' }, { range: 'bytes=0-1,100-101' }, { 'range': 'bytes=0-9', 'if-range': '"another-version"' }]
    for (const headers of asked) {
      const response = await get(headers)
      expect({ headers, status: response.status, ranges: response.headers.get('accept-ranges'), length: response.headers.get('content-length') })
        .toEqual({ headers, status: 200, ranges: 'bytes', length: String(bytes.length) })
      expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true)
    }
    const etag = (await get({})).headers.get('etag')!
    expect(etag).toMatch(/^"[0-9a-f-]{36}"$/)
    const resumed = await get({ 'range': 'bytes=100000-', 'if-range': etag })
    expect(resumed.status).toBe(206)
    await resumed.arrayBuffer()
  })

  it('answers HEAD with the headers a GET would send, and no bytes', async () => {
    for (const [headers, status, length] of [[{}, 200, bytes.length], [{ range: 'bytes=10-19' }, 206, 10]] as const) {
      const response = await fetch(url, { method: 'HEAD', headers: { cookie, ...headers } })
      expect({ status: response.status, length: response.headers.get('content-length'), ranges: response.headers.get('accept-ranges'), etag: response.headers.get('etag') })
        .toEqual({ status, length: String(length), ranges: 'bytes', etag: expect.stringMatching(/^"[0-9a-f-]{36}"$/) })
      expect(await response.text()).toBe('')
    }
  })

  it('refuses a range that starts beyond the end with 416 and the file\'s size', async () => {
    const response = await get({ range: `bytes=${bytes.length}-` })
    expect(response.status).toBe(416)
    expect(response.headers.get('content-range')).toBe(`bytes */${bytes.length}`)
    expect((await response.json()).data.code).toBe('range_not_satisfiable')
    // A refusal is not the file: the browser must not keep it, nor take it for a version of the file.
    expect({ etag: response.headers.get('etag'), kept: /max-age/.test(response.headers.get('cache-control') ?? '') }).toEqual({ etag: null, kept: false })
  })

  it('confirms the browser\'s copy with a 304 and no bytes; a stranger gets 401 and a non-member learns nothing from any of it', async () => {
    const etag = (await get({})).headers.get('etag')!
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const response = await get({ 'if-none-match': ifNoneMatch })
      expect({ ifNoneMatch, status: response.status, etag: response.headers.get('etag') }).toEqual({ ifNoneMatch, status: 304, etag })
      expect(await response.text()).toBe('')
    }
    expect((await get({ 'if-none-match': '"other"' })).status).toBe(200)

    for (const method of ['GET', 'HEAD']) expect({ method, status: (await fetch(url, { method, headers: { range: 'bytes=0-9' } })).status }).toEqual({ method, status: 401 })

    const mallory = await signIn(server.url, uniqueName('mallory'))
    const privateRoom = await makeRoom(server, cookie, [])
    const { body } = await upload(server, cookie, privateRoom, bytes.subarray(0, 100), 'application/octet-stream', 'secret.bin')
    const asked: Record<string, string>[] = [{ range: 'bytes=0-9' }, { range: 'bytes=999999-' }, { 'if-none-match': '*' }]
    for (const headers of asked) {
      for (const method of ['GET', 'HEAD']) {
        const response = await fetch(`${server.url}${body.attachment.url}`, { method, headers: { cookie: mallory.cookie, ...headers } })
        expect({ method, headers, status: response.status, etag: response.headers.get('etag') }).toEqual({ method, headers, status: 404, etag: null })
      }
    }
  })
})
