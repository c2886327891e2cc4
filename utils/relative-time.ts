/** Pure time formatting for message headers, in the viewer's local time zone, English and 24-hour. */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** "14:02" in local time. */
export function clockTime(ts: number): string {
  const date = new Date(ts)
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/**
 * How long ago `ts` was, seen at `now`: "just now", "5 min ago", "2 h ago" (same day only),
 * "yesterday 14:02", "Mon 14:02" within a week, "12 Mar 14:02" this year, else "12 Mar 2023".
 */
export function formatRelativeTime(ts: number, now: number): string {
  const elapsed = now - ts
  if (elapsed < MINUTE) return 'just now'
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`
  const days = calendarDaysBetween(ts, now)
  if (days === 0) return `${Math.floor(elapsed / HOUR)} h ago`
  const date = new Date(ts)
  if (days === 1) return `yesterday ${clockTime(ts)}`
  if (days < 7) return `${WEEKDAYS[date.getDay()]} ${clockTime(ts)}`
  if (date.getFullYear() === new Date(now).getFullYear()) return `${date.getDate()} ${MONTHS[date.getMonth()]} ${clockTime(ts)}`
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`
}

/** The exact local date and time for a tooltip: "Tue 12 Mar 2024, 14:02:09". */
export function formatExactTime(ts: number): string {
  const date = new Date(ts)
  const day = `${WEEKDAYS[date.getDay()]} ${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`
  return `${day}, ${clockTime(ts)}:${pad(date.getSeconds())}`
}

/** Local calendar days from `from` to `to` (0 = same day), immune to DST's 23- and 25-hour days. */
function calendarDaysBetween(from: number, to: number): number {
  const start = new Date(from)
  const end = new Date(to)
  const startDay = Date.UTC(start.getFullYear(), start.getMonth(), start.getDate())
  const endDay = Date.UTC(end.getFullYear(), end.getMonth(), end.getDate())
  return Math.round((endDay - startDay) / (24 * HOUR))
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}
