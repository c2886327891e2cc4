import { isIP } from 'node:net'
import * as v from 'valibot'

/*
 * Valibot schemas for single settings. Values arrive through Nitro's runtime config, which turns an env
 * string into a number or boolean when it looks like one ("5" -> 5, "true" -> true), so each schema takes
 * either and checks what it means.
 */

const DECIMAL = /^\s*-?\d+(\.\d+)?\s*$/

const toNumber = (value: unknown): number => {
  if (typeof value === 'number') return value
  return typeof value === 'string' && DECIMAL.test(value) ? Number(value) : Number.NaN
}

/** A whole number >= min; 0 too when `zeroAllowed`. */
export function wholeNumber(min: number, zeroAllowed = false) {
  return v.pipe(
    v.unknown(),
    v.transform(toNumber),
    v.number(),
    v.integer(),
    v.check(value => value >= min || (zeroAllowed && value === 0)),
  )
}

const toBoolean = (value: unknown): boolean | undefined => {
  if (value === true || value === 'true') return true
  if (value === false || value === 'false') return false
  return undefined
}

/** `true` or `false`, as a boolean or a string. */
export const flag = v.pipe(
  v.unknown(),
  v.transform(toBoolean),
  v.boolean(),
)

const asText = (value: unknown): unknown => typeof value === 'number' ? String(value) : value

/** A string; a number is taken as its digits (NUXT_REDIS_PREFIX=2 arrives as the number 2). */
export function text(check: (value: string) => boolean) {
  return v.pipe(v.unknown(), v.transform(asText), v.string(), v.check(check))
}

const parsesAs = (value: string, protocols: readonly string[]): boolean => {
  try {
    const url = new URL(value)
    return protocols.includes(url.protocol) && url.hostname !== ''
  }
  catch {
    return false
  }
}

/** Empty (not used) or a URL with one of these protocols and a host. */
export function optionalUrl(protocols: readonly string[]) {
  return text(value => value === '' || parsesAs(value, protocols))
}

const ORIGIN_ENTRY = (entry: string) => {
  try {
    const url = new URL(entry)
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === entry.replace(/\/$/, '')
  }
  catch {
    return false
  }
}

/** Comma-separated origins (`https://chat.example.com`), parsed into a list. */
export const originList = v.pipe(
  text(value => value.split(',').map(entry => entry.trim()).filter(Boolean).every(ORIGIN_ENTRY)),
  v.transform(value => value.split(',').map(entry => entry.trim()).filter(Boolean).map(entry => new URL(entry).origin)),
)

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i

/** An address Node can listen on: an IPv4 or IPv6 address (no brackets) or a host name; empty means every interface. */
export const listenHost = text(value => value === '' || isIP(value) !== 0 || HOSTNAME.test(value))

export const LOG_LEVELS = [
  'trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent',
] as const
export type LogLevel = typeof LOG_LEVELS[number]
export const logLevel = v.picklist(LOG_LEVELS)
