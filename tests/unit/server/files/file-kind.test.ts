import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { detectFileKind } from '#server/utils/files/file-kind'
import { cleanFileName } from '#server/utils/files/uploads'
import { isUploadPath } from '#server/utils/http/request-guard'

const text = (value: string) => new TextEncoder().encode(value)

describe('detectFileKind', () => {
  it('takes the type from the bytes and refuses a declared type they contradict', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: 'red' } }).png().toBuffer()
    expect(await detectFileKind(png, 'image/png')).toEqual({ type: 'image/png', image: true })
    expect(await detectFileKind(png, 'application/octet-stream')).toEqual({ type: 'image/png', image: true })
    await expect(detectFileKind(png, 'text/plain')).rejects.toMatchObject({ code: 'file_type_mismatch' })
    await expect(detectFileKind(text('not a picture'), 'image/jpeg')).rejects.toMatchObject({ code: 'file_type_mismatch' })
  })

  it('keeps text, HTML and SVG as declared but never as an inline image', async () => {
    expect(await detectFileKind(text('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml')).toMatchObject({ image: false })
    expect(await detectFileKind(text('<html></html>'), 'text/html; charset=utf-8')).toEqual({ type: 'text/html', image: false })
    expect(await detectFileKind(text('hello'), '')).toEqual({ type: 'application/octet-stream', image: false })
  })
})

describe('cleanFileName', () => {
  it('keeps the last path part and drops control and direction characters', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd')
    expect(cleanFileName('C:\\Users\\a\\photo.jpg')).toBe('photo.jpg')
    expect(cleanFileName('evil\u202Egpj.exe')).toBe('evilgpj.exe')
    expect(cleanFileName('a\u0000b\nc.txt')).toBe('abc.txt')
    expect(cleanFileName('..')).toBe('file')
    expect(cleanFileName(undefined)).toBe('file')
    expect(cleanFileName('x'.repeat(1000))).toHaveLength(255)
  })
})

describe('isUploadPath', () => {
  it('matches only a room\'s uploads route', () => {
    expect(isUploadPath('/api/rooms/general/uploads')).toBe(true)
    expect(isUploadPath('/api/rooms/general/uploads?name=a.png')).toBe(true)
    expect(isUploadPath('/api/rooms/general/messages')).toBe(false)
    expect(isUploadPath('/api/rooms/general/uploads/x')).toBe(false)
    expect(isUploadPath('/api/rooms/a/b/uploads')).toBe(false)
  })
})
