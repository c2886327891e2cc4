import { randomBytes } from 'node:crypto'
import { readdirSync, readlinkSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createStorage } from 'unstorage'
import s3Driver from 'unstorage/drivers/s3'
import { startServer } from '../support/server'
import type { RunningServer } from '../support/server'
import { startLocalS3 } from '../support/s3-server'
import type { LocalS3 } from '../support/s3-server'
import { signIn, uniqueName } from './support/client'
import { makeRoom, upload } from './support/files'

const MAX_UPLOAD = 64 * 1024
const UPLOADS_PER_MINUTE = 5

/** A JPEG that carries EXIF with a camera owner and a GPS position, as a phone's photo would. */
const photoWithMetadata = () => sharp({ create: { width: 640, height: 480, channels: 3, background: '#3366cc' } })
  .jpeg()
  .withExif({ IFD0: { Copyright: 'Alice Example', Artist: 'Alice' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } })
  .toBuffer()

describe('a streamed upload', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_MAX_UPLOAD_BYTES: String(MAX_UPLOAD) })
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('stops reading a streamed body of no declared length at the limit', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const room = await makeRoom(server, alice.cookie)
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${server.url}/api/rooms/${room}/uploads`, {
        method: 'POST',
        headers: { origin: server.url, cookie: alice.cookie, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
      }, (res) => {
        req.destroy()
        resolve(res.statusCode!)
      })
      // The server closes the connection after its answer: the writes still under way then fail, as they should.
      req.on('error', () => {})
      setTimeout(() => reject(new Error(`no answer within 10 s: ${server.output().slice(-1500)}`)), 10_000).unref()
      // Writes until the server answers; the body never ends.
      const chunk = Buffer.alloc(8 * 1024)
      const pump = () => {
        while (!req.destroyed && req.write(chunk));
        if (!req.destroyed) req.once('drain', pump)
      }
      pump()
    })
    expect(status).toBe(413)
  })

  it('answers 413 every time, and cuts a client that goes on sending after the answer', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const room = await makeRoom(server, alice.cookie)
    const { hostname, port } = new URL(server.url)
    // Five times over: the answer used to be lost now and then, reset by the socket's close before it was read.
    for (let attempt = 0; attempt < 5; attempt++) {
      const outcome = await new Promise<{ head: string, cut: boolean }>((resolve, reject) => {
        // Half-open allowed: this client keeps sending after the server ends its side, as a hostile one would.
        const socket = connect({ host: hostname, port: Number(port), allowHalfOpen: true })
        let answer = ''
        let ended = false
        socket.on('data', (data) => {
          answer += data.toString('latin1')
        })
        socket.on('end', () => {
          ended = true
        })
        socket.on('error', () => {})
        socket.on('close', () => resolve({ head: answer.split('\r\n')[0]!, cut: ended }))
        setTimeout(() => reject(new Error(`not cut within 10 s; answer so far: ${answer.slice(0, 200)}`)), 10_000).unref()
        socket.write(`POST /api/rooms/${room}/uploads HTTP/1.1\r\nHost: ${hostname}:${port}\r\nOrigin: ${server.url}\r\nCookie: ${alice.cookie}\r\n`
          + 'Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n')
        const chunk = Buffer.concat([Buffer.from('2000\r\n'), Buffer.alloc(0x2000), Buffer.from('\r\n')])
        const pump = () => {
          while (!socket.destroyed && socket.write(chunk));
          if (!socket.destroyed) socket.once('drain', pump)
        }
        pump()
      })
      expect(outcome.head).toMatch(/^HTTP\/1\.1 413 /)
      expect(outcome.cut).toBe(true)
    }
  })
})

/** Uploaded files: stored, typed by their bytes, cleaned of metadata, served only to the room, never as live HTML. */
describe('files and images', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer({ NUXT_LIMITS_MAX_UPLOAD_BYTES: String(MAX_UPLOAD), NUXT_LIMITS_UPLOADS_PER_MINUTE: String(UPLOADS_PER_MINUTE) })
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  it('lets a member upload an image and download it without its EXIF and GPS, with a thumbnail', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const room = await makeRoom(server, alice.cookie)
    const photo = await photoWithMetadata()
    expect((await sharp(photo).metadata()).exif).toBeDefined()

    const { status, body } = await upload(server, alice.cookie, room, photo, 'image/jpeg', 'holiday.jpg')
    expect(status).toBe(201)
    expect(body.attachment).toMatchObject({ name: 'holiday.jpg', type: 'image/jpeg', width: 640, height: 480 })

    const file = await fetch(`${server.url}${body.attachment.url}`, { headers: { cookie: bob.cookie } })
    expect(file.status).toBe(200)
    expect(file.headers.get('content-type')).toBe('image/jpeg')
    expect(file.headers.get('content-disposition')).toMatch(/^inline; filename="holiday\.jpg"/)
    expect(file.headers.get('x-content-type-options')).toBe('nosniff')
    const served = await sharp(Buffer.from(await file.arrayBuffer())).metadata()
    expect(served).toMatchObject({ format: 'jpeg', width: 640, height: 480 })
    expect(served.exif).toBeUndefined()

    const thumbnail = await fetch(`${server.url}${body.attachment.thumbnailUrl}`, { headers: { cookie: bob.cookie } })
    expect(thumbnail.headers.get('content-type')).toBe('image/webp')
    const thumbnailMeta = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()
    expect(Math.max(thumbnailMeta.width!, thumbnailMeta.height!)).toBe(320)
    expect(thumbnailMeta.exif).toBeUndefined()
  })

  it('refuses an upload from another site (403 cross_site), and takes the same one from the app', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const crossSite = await fetch(`${server.url}/api/rooms/general/uploads?name=evil.txt`, {
      method: 'POST', headers: { 'origin': 'https://evil.example', 'cookie': alice.cookie, 'content-type': 'text/plain' }, body: 'from elsewhere',
    })
    expect(crossSite.status).toBe(403)
    expect((await crossSite.json()).data.code).toBe('cross_site')
    // The same upload from the app itself is taken: the refusal was the origin's.
    expect((await upload(server, alice.cookie, 'general', new TextEncoder().encode('from here'), 'text/plain', 'ok.txt')).status).toBe(201)
  })

  it('answers a non-member of a private room 404, exactly as for a file that does not exist', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const eve = await signIn(server.url, uniqueName('eve'))
    const room = await makeRoom(server, alice.cookie, [bob.user.name])
    const { body } = await upload(server, alice.cookie, room, new TextEncoder().encode('the plan'), 'text/plain', 'plan.txt')

    expect((await fetch(`${server.url}${body.attachment.url}`, { headers: { cookie: bob.cookie } })).status).toBe(200)
    const refused = await fetch(`${server.url}${body.attachment.url}`, { headers: { cookie: eve.cookie } })
    const missing = await fetch(`${server.url}/api/files/00000000-0000-4000-8000-000000000000`, { headers: { cookie: eve.cookie } })
    expect(refused.status).toBe(404)
    expect((await refused.json()).data).toEqual((await missing.json()).data)
    expect((await fetch(`${server.url}${body.attachment.url}`)).status).toBe(401)
    // Nor may she put files into the room.
    const intruding = await upload(server, eve.cookie, room, new TextEncoder().encode('x'), 'text/plain')
    expect(intruding.status).toBe(404)
  })

  it('refuses a declared body over the limit with 413 before the body is sent', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const room = await makeRoom(server, alice.cookie)
    const answer = await new Promise<{ status: number, body: string }>((resolve, reject) => {
      const req = request(`${server.url}/api/rooms/${room}/uploads`, {
        method: 'POST',
        agent: false,
        headers: { origin: server.url, cookie: alice.cookie, 'content-type': 'application/octet-stream', 'content-length': String(50 * 1024 * 1024) },
      }, (res) => {
        let text = ''
        res.on('data', chunk => (text += chunk))
        res.on('end', () => {
          req.destroy()
          resolve({ status: res.statusCode!, body: text })
        })
      })
      req.on('error', reject)
      // A first chunk only: the other 50 MiB are never written, so an answer proves the server did not wait for them.
      req.write(Buffer.alloc(16 * 1024))
    })
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body).data.code).toBe('file_too_large')
  })

  it('refuses bytes that are not what the upload claims (415)', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const room = await makeRoom(server, alice.cookie)
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: 'red' } }).png().toBuffer()
    const pngAsText = await upload(server, alice.cookie, room, png, 'text/plain')
    expect(pngAsText.status).toBe(415)
    expect(pngAsText.body.data.code).toBe('file_type_mismatch')
    const textAsImage = await upload(server, alice.cookie, room, new TextEncoder().encode('<script>alert(1)</script>'), 'image/png')
    expect(textAsImage.status).toBe(415)
    // A PNG header over garbage is refused too, not a 500.
    const broken = await upload(server, alice.cookie, room, Buffer.concat([png.subarray(0, 40), Buffer.alloc(200, 7)]), 'image/png')
    expect(broken.status).toBe(415)
  })

  it('sends a file as large as allowed back byte for byte, and a reader who leaves mid-file harms nobody', async () => {
    await expectUploadSentWhole(server, MAX_UPLOAD)
  })

  it('never serves SVG or HTML inline', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const room = await makeRoom(server, alice.cookie)
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
    const html = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>'
    for (const [bytes, type, name] of [[svg, 'image/svg+xml', 'x.svg'], [html, 'text/html', 'x.html']] as const) {
      const { status, body } = await upload(server, alice.cookie, room, new TextEncoder().encode(bytes), type, name)
      expect(status).toBe(201)
      expect(body.attachment.thumbnailUrl).toBeUndefined()
      const file = await fetch(`${server.url}${body.attachment.url}`, { headers: { cookie: alice.cookie } })
      expect(file.headers.get('content-type')).toBe('application/octet-stream')
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; /)
      expect(file.headers.get('x-content-type-options')).toBe('nosniff')
      expect(await file.text()).toBe(bytes)
    }
  })

  it('limits how many files one user uploads a minute (429), while others still may', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const bob = await signIn(server.url, uniqueName('bob'))
    const room = await makeRoom(server, alice.cookie)
    const one = new TextEncoder().encode('x')
    const statuses: number[] = []
    for (let i = 0; i <= UPLOADS_PER_MINUTE; i++) statuses.push((await upload(server, alice.cookie, room, one, 'text/plain')).status)
    expect(statuses.slice(0, UPLOADS_PER_MINUTE)).toEqual(Array(UPLOADS_PER_MINUTE).fill(201))
    const refused = await upload(server, alice.cookie, room, one, 'text/plain')
    expect(refused.status).toBe(429)
    expect(refused.body.data.code).toBe('rate_limited')
    expect((await upload(server, bob.cookie, room, one, 'text/plain')).status).toBe(201)
  })
})

describe('downloads from disk', () => {
  let server: RunningServer

  beforeAll(async () => {
    server = await startServer()
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
  })

  /** The stored files the server has open right now. */
  const openBlobs = () => readdirSync(`/proc/${server.process.pid}/fd`).filter((fd) => {
    try {
      return readlinkSync(`/proc/${server.process.pid}/fd/${fd}`).includes('/files/blob/')
    }
    catch {
      return false // closed while being listed
    }
  }).length

  it('sends a file of many chunks byte for byte, and lets go of it when a reader leaves mid-file', async () => {
    await expectUploadSentWhole(server, 3 * 2 ** 20)
    await vi.waitFor(() => expect(openBlobs()).toBe(0))
  })
})

describe('files in an S3-compatible bucket', () => {
  let s3: LocalS3
  let server: RunningServer

  beforeAll(async () => {
    s3 = await startLocalS3()
    server = await startServer(s3.env)
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
    await s3?.stop()
  })

  it('keeps the bytes in the bucket and serves them back', async () => {
    const alice = await signIn(server.url, uniqueName('alice'))
    const room = await makeRoom(server, alice.cookie)
    const bytes = new TextEncoder().encode('kept in the bucket')
    const { status, body } = await upload(server, alice.cookie, room, bytes, 'text/plain', 'note.txt')
    expect(status).toBe(201)

    const bucket = createStorage({ driver: s3Driver({ endpoint: s3.endpoint, bucket: s3.bucket, region: 'us-east-1', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }) })
    const stored = await bucket.getItemRaw(`blob:${body.attachment.id}`)
    expect(Buffer.from(stored as ArrayBuffer).toString()).toBe('kept in the bucket')

    const file = await fetch(`${server.url}${body.attachment.url}`, { headers: { cookie: alice.cookie } })
    expect(await file.text()).toBe('kept in the bucket')
  })

  it('sends a large file from the bucket byte for byte, and a reader who leaves mid-file harms nobody', async () => {
    await expectUploadSentWhole(server, 3 * 2 ** 20)
  })
})

/**
 * A member uploads `size` random bytes; one reader takes the file's first bytes and goes; the next gets all of it,
 * with its length declared.
 */
async function expectUploadSentWhole(server: RunningServer, size: number): Promise<void> {
  const { cookie } = await signIn(server.url, uniqueName('alice'))
  const room = await makeRoom(server, cookie)
  const bytes = randomBytes(size)
  const { status, body } = await upload(server, cookie, room, bytes, 'application/octet-stream', 'data.bin')
  expect(status).toBe(201)
  const url = `${server.url}${body.attachment.url}`
  const leaving = new AbortController()
  const partial = await fetch(url, { headers: { cookie }, signal: leaving.signal })
  expect(partial.status).toBe(200)
  const first = await partial.body!.getReader().read()
  expect(first.done).toBe(false)
  leaving.abort()
  const file = await fetch(url, { headers: { cookie } })
  expect(file.headers.get('content-length')).toBe(String(bytes.length))
  expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true)
}
