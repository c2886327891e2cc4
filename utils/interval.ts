/** Slow mode's choices, in seconds (0 is off). */
export const SLOW_MODE_CHOICES = [0, 10, 30, 60, 300, 900, 3600] as const

/** "30 seconds", "5 minutes", "1 hour": a slow-mode interval in words. */
export function formatInterval(seconds: number): string {
  const [amount, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : seconds % 60 === 0 ? [seconds / 60, 'minute'] : [seconds, 'second']
  return amount === 1 ? `1 ${unit}` : `${amount} ${unit}s`
}
