import parseRange from 'range-parser'

/** The bytes of a stored file a GET asks for. */
export type WantedBytes =
  | { kind: 'whole' }
  | { kind: 'part', start: number, end: number }
  | { kind: 'beyond' }

const WHOLE: WantedBytes = { kind: 'whole' }

/**
 * What a `Range` header asks of a file of `size` bytes whose entity tag is `etag` (RFC 9110 §14): one range of
 * bytes (a resumed download, a seek), the whole file, or nothing that exists (`beyond`: 416). A malformed header,
 * another unit, several ranges, or an `If-Range` naming another version get the whole file, as the RFC allows.
 */
export function wantedBytes(range: string | undefined, ifRange: string | undefined, size: number, etag: string): WantedBytes {
  if (!range || (ifRange !== undefined && ifRange.trim() !== etag) || reversed(range)) return WHOLE
  const ranges = parseRange(size, wholeForLongSuffix(range, size), { combine: true })
  if (ranges === -1) return { kind: 'beyond' }
  if (ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return WHOLE
  return { kind: 'part', start: ranges[0]!.start, end: ranges[0]!.end }
}

/** True when `If-None-Match` names `etag` (or any version, `*`): the browser's copy is current. */
export function stillFresh(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  return ifNoneMatch.split(',').some((tag) => {
    const given = tag.trim()
    return given === '*' || given.replace(/^W\//, '') === etag
  })
}

/** A range whose last byte comes before its first is no range at all (RFC 9110 §14.1.1): the header is ignored. */
function reversed(range: string): boolean {
  return range.slice(range.indexOf('=') + 1).split(',').some((spec) => {
    const bounds = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(spec)
    return bounds !== null && Number(bounds[1]) > Number(bounds[2])
  })
}

/** The last N bytes of a file shorter than N are all of it (RFC 9110 §14.1.1); range-parser would refuse them. */
function wholeForLongSuffix(range: string, size: number): string {
  const suffix = /^bytes=-(\d+)$/.exec(range.trim())
  return suffix && Number(suffix[1]) >= size ? 'bytes=0-' : range
}
