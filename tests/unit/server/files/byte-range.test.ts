import { describe, expect, it } from 'vitest'
import { stillFresh, wantedBytes } from '#server/utils/files/byte-range'

const ETAG = '"0b6a2c1e-6f1d-4c55-9a57-2f4b1f0f6d11"'

describe('wantedBytes', () => {
  it('reads one range of bytes, clamped to the file', () => {
    expect(wantedBytes('bytes=0-9', undefined, 100, ETAG)).toEqual({ kind: 'part', start: 0, end: 9 })
    expect(wantedBytes('bytes=90-', undefined, 100, ETAG)).toEqual({ kind: 'part', start: 90, end: 99 })
    expect(wantedBytes('bytes=-10', undefined, 100, ETAG)).toEqual({ kind: 'part', start: 90, end: 99 })
    expect(wantedBytes('bytes=95-500', undefined, 100, ETAG)).toEqual({ kind: 'part', start: 95, end: 99 })
    expect(wantedBytes('bytes=-500', undefined, 100, ETAG)).toEqual({ kind: 'part', start: 0, end: 99 })
    expect(wantedBytes('bytes=0-5,3-9', undefined, 100, ETAG)).toEqual({ kind: 'part', start: 0, end: 9 })
  })

  it('answers the whole file without a range, for a malformed or reversed one, another unit or several ranges', () => {
    for (const range of [undefined, '', 'bytes=abc', 'items=0-5', 'bytes=0-1,50-51', 'bytes=5-2', 'bytes=0-9,8-3']) {
      expect({ range, wanted: wantedBytes(range, undefined, 100, ETAG) }).toEqual({ range, wanted: { kind: 'whole' } })
    }
  })

  it('honours If-Range only when it names this version', () => {
    expect(wantedBytes('bytes=0-9', ETAG, 100, ETAG)).toEqual({ kind: 'part', start: 0, end: 9 })
    expect(wantedBytes('bytes=0-9', '"another"', 100, ETAG)).toEqual({ kind: 'whole' })
    expect(wantedBytes('bytes=0-9', 'Wed, 21 Oct 2026 07:28:00 GMT', 100, ETAG)).toEqual({ kind: 'whole' })
  })

  it('finds a range that starts beyond the end', () => {
    expect(wantedBytes('bytes=100-', undefined, 100, ETAG)).toEqual({ kind: 'beyond' })
    expect(wantedBytes('bytes=200-300', undefined, 100, ETAG)).toEqual({ kind: 'beyond' })
  })
})

describe('stillFresh', () => {
  it('is true when If-None-Match names this version, weakly or among others, or any version', () => {
    for (const header of [ETAG, `W/${ETAG}`, `"a", ${ETAG}`, '*']) expect({ header, fresh: stillFresh(header, ETAG) }).toEqual({ header, fresh: true })
  })

  it('is false without the header or for other versions', () => {
    for (const header of [undefined, '', '"a"', '"a", "b"', ETAG.slice(1)]) expect({ header, fresh: stillFresh(header, ETAG) }).toEqual({ header, fresh: false })
  })
})
