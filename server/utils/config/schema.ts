import * as v from 'valibot'
import type { ChatLimits } from '../chat/limits'
import { DEFAULT_LIMITS } from '../chat/limits'
import { describeLimitRule, LIMIT_RULES } from './limit-rules'
import { isVapidKeyPair, isVapidSubject } from '../push/vapid-keys'
import { flag, listenHost, logLevel, LOG_LEVELS, optionalUrl, originList, text, wholeNumber } from './values'

/** Where a setting's value comes from: Nitro's runtime config (overridden by NUXT_* env) and the raw env. */
export interface ConfigSources {
  runtime: Record<string, unknown>
  env: Record<string, string | undefined>
}

interface Setting<T> {
  /** Reads the raw value and says which variable it came from (the name an operator sets). */
  read: (sources: ConfigSources) => { variable: string, raw: unknown }
  schema: v.GenericSchema<unknown, T>
  allowed: string
  /** Never printed (the session secret). */
  secret?: boolean
}

/** runtimeConfig path -> env name, the way Nitro maps them: limits.messagesPerSecond -> NUXT_LIMITS_MESSAGES_PER_SECOND. */
export const envName = (path: readonly string[]): string =>
  `NUXT_${path.map(part => part.replace(/[A-Z]/g, letter => `_${letter}`)).join('_').toUpperCase()}`

const fromRuntime = (...path: string[]) => (sources: ConfigSources) => ({
  variable: envName(path),
  raw: path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], sources.runtime),
})

/** Nitro's server entry reads NITRO_PORT before PORT (and NITRO_HOST before HOST). */
const fromEnv = (primary: string, fallback: string) => (sources: ConfigSources) => {
  const variable = sources.env[primary] !== undefined ? primary : fallback
  return { variable, raw: sources.env[variable] }
}

const setting = <T>(read: Setting<T>['read'], schema: v.GenericSchema<unknown, T>, allowed: string, secret = false): Setting<T> =>
  ({ read, schema, allowed, secret })

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/i

/** Every setting banter reads, but the limits (LIMIT_RULES). docs/configuration.md describes each. */
export const SETTINGS = {
  databasePath: setting(fromRuntime('databasePath'), text(value => value.trim() !== ''), 'a file path (relative paths are taken from the app directory)'),
  databaseUrl: setting(fromRuntime('databaseUrl'), optionalUrl(['postgres:', 'postgresql:']), 'empty, or a postgres:// URL with a host'),
  databaseSchema: setting(fromRuntime('databaseSchema'), text(value => SCHEMA_NAME.test(value)), 'letters, digits and _ (not starting with a digit), at most 63'),
  redisUrl: setting(fromRuntime('redisUrl'), optionalUrl(['redis:', 'rediss:']), 'empty, or a redis:// or rediss:// URL with a host'),
  redisPrefix: setting(fromRuntime('redisPrefix'), text(value => /^[\w.:-]{1,64}$/.test(value)), 'letters, digits and _ . : - (1 to 64)'),
  allowedOrigins: setting(fromRuntime('allowedOrigins'), originList, 'empty, or comma-separated origins such as https://chat.example.com'),
  trustProxy: setting(fromRuntime('trustProxy'), flag, 'true or false'),
  sessionMaxAge: setting(fromRuntime('session', 'maxAge'), wholeNumber(1), 'a whole number of seconds >= 1'),
  sessionPassword: setting(fromRuntime('session', 'password'), text(() => true), 'a secret of at least 32 characters', true),
  cookieSecure: setting(fromRuntime('session', 'cookie', 'secure'), flag, 'true or false'),
  allowInsecureCookies: setting(fromRuntime('allowInsecureCookies'), flag, 'true or false'),
  logLevel: setting(fromRuntime('logLevel'), logLevel, LOG_LEVELS.join(', ')),
  metricsToken: setting(fromRuntime('metricsToken'), text(value => value === '' || value.length >= 16), 'empty (metrics off), or a token of at least 16 characters', true),
  instanceId: setting(fromRuntime('instanceId'), text(value => /^[\w.:-]{0,64}$/.test(value)), 'empty (host name and process id), or letters, digits and _ . : - (at most 64)'),
  retentionDays: setting(fromRuntime('retention', 'days'), v.pipe(wholeNumber(0), v.maxValue(36_500)), 'a whole number of days from 0 (off) to 36500'),
  retentionIntervalSeconds: setting(fromRuntime('retention', 'intervalSeconds'), wholeNumber(1), 'a whole number of seconds >= 1'),
  filesDir: setting(fromRuntime('files', 'dir'), text(value => value.trim() !== ''), 'a directory (relative paths are taken from the app directory)'),
  filesS3Endpoint: setting(fromRuntime('files', 's3Endpoint'), optionalUrl(['http:', 'https:']), 'empty (files on disk), or the http(s):// URL of an S3-compatible service'),
  filesS3Bucket: setting(fromRuntime('files', 's3Bucket'), text(value => /^[a-z0-9.-]{0,63}$/.test(value)), 'an S3 bucket name (lower-case letters, digits, . and -)'),
  filesS3Region: setting(fromRuntime('files', 's3Region'), text(value => /^[\w-]{0,64}$/.test(value)), 'an S3 region such as us-east-1'),
  filesS3AccessKeyId: setting(fromRuntime('files', 's3AccessKeyId'), text(() => true), 'the S3 access key id', true),
  filesS3SecretAccessKey: setting(fromRuntime('files', 's3SecretAccessKey'), text(() => true), 'the S3 secret access key', true),
  vapidPublicKey: setting(fromRuntime('vapid', 'publicKey'), text(() => true), 'empty (push off), or the base64url public key of the pair'),
  vapidPrivateKey: setting(fromRuntime('vapid', 'privateKey'), text(() => true), 'empty (push off), or the base64url private key of the pair', true),
  vapidSubject: setting(fromRuntime('vapid', 'subject'), text(value => value === '' || isVapidSubject(value)), 'empty, or a mailto: address or https: URL push services can reach the operator at'),
  pushAllowInsecureEndpoints: setting(fromRuntime('push', 'allowInsecureEndpoints'), flag, 'true or false'),
  port: setting(fromEnv('NITRO_PORT', 'PORT'), v.optional(wholeNumber(0), 3000), 'a port number from 0 to 65535'),
  host: setting(fromEnv('NITRO_HOST', 'HOST'), v.optional(listenHost, ''), 'an IP address or host name (no brackets), or empty for every interface'),
}

type Settings = typeof SETTINGS
/** banter's configuration once checked: every value typed and within what is allowed. */
export type BanterConfig = { [K in keyof Settings]: Settings[K] extends Setting<infer T> ? T : never } & { limits: ChatLimits }

export type ConfigCheck = { ok: true, config: BanterConfig } | { ok: false, problems: string[] }

const MIN_SESSION_PASSWORD = 32
const MAX_PORT = 65_535

function shown(sources: ConfigSources, variable: string, raw: unknown, secret: boolean): string {
  if (secret) return typeof raw === 'string' && raw !== '' ? `(${raw.length} characters)` : '(not set)'
  const value = sources.env[variable] ?? raw
  return value === undefined ? '(not set)' : JSON.stringify(value)
}

function problem(sources: ConfigSources, read: Setting<unknown>['read'], allowed: string, secret = false): string {
  const { variable, raw } = read(sources)
  return `${variable}=${shown(sources, variable, raw, secret)} is not allowed: expected ${allowed}`
}

/**
 * Checks every setting against its schema and the settings against each other. `production` is the built
 * server: it needs a session secret, and refuses a non-Secure cookie unless NUXT_ALLOW_INSECURE_COOKIES=true.
 */
export function checkConfig(sources: ConfigSources, production: boolean): ConfigCheck {
  const problems: string[] = []
  const config: Record<string, unknown> = {}
  for (const [key, entry] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    const result = v.safeParse(entry.schema, entry.read(sources).raw)
    if (result.success) config[key] = result.output
    else problems.push(problem(sources, entry.read, entry.allowed, entry.secret))
  }
  const limits = { ...DEFAULT_LIMITS }
  for (const key of Object.keys(LIMIT_RULES) as (keyof ChatLimits)[]) {
    const rule = LIMIT_RULES[key]
    const read = fromRuntime('limits', key)
    const result = v.safeParse(wholeNumber(rule.min, rule.zeroTurnsOff), read(sources).raw ?? DEFAULT_LIMITS[key])
    if (result.success) limits[key] = result.output
    else problems.push(problem(sources, read, describeLimitRule(rule)))
  }
  const checked = { ...config, limits } as BanterConfig

  if (typeof checked.port === 'number' && checked.port > MAX_PORT) problems.push(problem(sources, SETTINGS.port.read, SETTINGS.port.allowed))
  if (production && typeof checked.sessionPassword === 'string' && checked.sessionPassword.length < MIN_SESSION_PASSWORD) {
    problems.push(`${problem(sources, SETTINGS.sessionPassword.read, SETTINGS.sessionPassword.allowed, true)}; it seals the session cookie and must stay the same across restarts (generate it once: openssl rand -base64 32)`)
  }
  if (checked.redisUrl && checked.databaseUrl === '') {
    problems.push(`NUXT_REDIS_URL is set but NUXT_DATABASE_URL is not: instances that share Redis must share one PostgreSQL database (each would otherwise write its own SQLite file)`)
  }
  if (checked.filesS3Endpoint && !(checked.filesS3Bucket && checked.filesS3AccessKeyId && checked.filesS3SecretAccessKey && checked.filesS3Region)) {
    problems.push('NUXT_FILES_S3_ENDPOINT is set but NUXT_FILES_S3_BUCKET, NUXT_FILES_S3_REGION, NUXT_FILES_S3_ACCESS_KEY_ID and NUXT_FILES_S3_SECRET_ACCESS_KEY are not all set')
  }
  if (production && checked.cookieSecure === false && checked.allowInsecureCookies !== true) {
    problems.push('NUXT_SESSION_COOKIE_SECURE=false is refused in production unless NUXT_ALLOW_INSECURE_COOKIES=true is set too: the session cookie would travel in clear text')
  }
  problems.push(...vapidProblems(checked))
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: checked }
}

/** Push is off with no keys at all; any key set means all three must be set, and the two keys must be one pair. */
function vapidProblems(config: BanterConfig): string[] {
  const { vapidPublicKey: publicKey, vapidPrivateKey: privateKey, vapidSubject: subject } = config
  if (typeof publicKey !== 'string' || typeof privateKey !== 'string' || typeof subject !== 'string') return []
  if (!publicKey && !privateKey) return []
  if (!publicKey || !privateKey || !subject) {
    return ['NUXT_VAPID_PUBLIC_KEY, NUXT_VAPID_PRIVATE_KEY and NUXT_VAPID_SUBJECT are set together or not at all (push is off without them; generate keys with: npx web-push generate-vapid-keys)']
  }
  if (!isVapidKeyPair({ publicKey, privateKey })) {
    return [`NUXT_VAPID_PUBLIC_KEY and NUXT_VAPID_PRIVATE_KEY (${privateKey.length} characters) are not a P-256 key pair in base64url (generate one with: npx web-push generate-vapid-keys)`]
  }
  return []
}

/** The one line a refused start prints. */
export const formatProblems = (problems: readonly string[]): string =>
  `banter will not start: ${problems.join('; ')}. See docs/configuration.md.`
