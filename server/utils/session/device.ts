import Bowser from 'bowser'

/** "Firefox on Linux" from a User-Agent, for the user's list of sessions; what is unknown is left out. */
export function describeDevice(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device'
  const parsed = Bowser.parse(userAgent.slice(0, 512))
  const browser = parsed.browser.name
  const system = parsed.os.name
  if (browser && system) return `${browser} on ${system}`
  return browser ?? system ?? userAgent.slice(0, 64)
}
