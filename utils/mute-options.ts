import { MUTED_FOREVER } from '#shared/notification-levels'

/** The mutes the room header offers. */
export type MuteOption = '1h' | '8h' | 'tomorrow' | 'forever'

export const MUTE_OPTIONS: { value: MuteOption, label: string }[] = [
  { value: '1h', label: 'For 1 hour' },
  { value: '8h', label: 'For 8 hours' },
  { value: 'tomorrow', label: 'Until tomorrow' },
  { value: 'forever', label: 'Until I unmute' },
]

/** The hour "until tomorrow" ends, local time: the start of a working day. */
const TOMORROW_HOUR = 8

/** When a mute chosen now ends, in epoch ms. */
export function muteEnd(option: MuteOption, now: Date): number {
  switch (option) {
    case '1h':
      return now.getTime() + 3_600_000
    case '8h':
      return now.getTime() + 8 * 3_600_000
    case 'tomorrow':
      return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, TOMORROW_HOUR).getTime()
    case 'forever':
      return MUTED_FOREVER
  }
}

/** How a mute's end reads: "until unmuted", "until 14:30", or with the day when it is not today. */
export function muteEndLabel(until: number, now: Date): string {
  if (until >= MUTED_FOREVER) return 'until unmuted'
  const end = new Date(until)
  const time = end.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
  return end.toDateString() === now.toDateString() ? `until ${time}` : `until ${end.toLocaleDateString(undefined, { weekday: 'short' })} ${time}`
}
