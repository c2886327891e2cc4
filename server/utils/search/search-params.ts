import { httpError } from '../request-input'

// A date (midnight UTC) or a date and time with an offset, as `<input type="date">` and toISOString write them.
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/

/** Date.parse rolls 2026-02-31 over into March: the calendar day must exist as written. */
function isRealDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** The `before` or `after` of a search as epoch ms; absent or empty is no limit, anything but a real date a 400. */
export function searchDateParam(value: unknown, what: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const text = typeof value === 'string' ? value : ''
  const match = DATE.exec(text)
  const ts = match && isRealDay(Number(match[1]), Number(match[2]), Number(match[3]))
    ? Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text)
    : Number.NaN
  if (!Number.isFinite(ts)) throw httpError(400, 'invalid_event', `Invalid ${what}: expected a date such as 2026-01-31 or 2026-01-31T14:00:00Z.`)
  return ts
}
