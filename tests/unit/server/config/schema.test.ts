import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '#server/utils/chat/limits'
import { checkConfig, envName, formatProblems } from '#server/utils/config/schema'
import type { ConfigSources } from '#server/utils/config/schema'
import { LIMIT_RULES } from '#server/utils/config/limit-rules'
import { appDirectory, resolveDatabasePath } from '#server/utils/config/database-path'
import webPush from 'web-push'

const SECRET = 'a-session-secret-of-at-least-32-characters'

/** Runtime config as nuxt.config.ts defines it, with `overrides` merged in the way Nitro applies NUXT_* env. */
function sources(overrides: Record<string, unknown> = {}, env: Record<string, string> = {}): ConfigSources {
  const { limits, session, ...rest } = overrides as { limits?: object, session?: object }
  return {
    runtime: {
      databasePath: '.data/banter.sqlite',
      databaseUrl: '',
      databaseSchema: 'banter',
      redisUrl: '',
      redisPrefix: 'banter',
      allowedOrigins: '',
      trustProxy: 'false',
      logLevel: 'info',
      metricsToken: '',
      instanceId: '',
      allowInsecureCookies: false,
      retention: { days: 0, intervalSeconds: 3600 },
      files: { dir: '.data/files', s3Endpoint: '', s3Bucket: '', s3Region: 'us-east-1', s3AccessKeyId: '', s3SecretAccessKey: '' },
      vapid: { publicKey: '', privateKey: '', subject: '' },
      push: { allowInsecureEndpoints: false },
      limits: { ...DEFAULT_LIMITS, ...limits },
      session: { password: SECRET, maxAge: 604800, cookie: { sameSite: 'lax', secure: true }, ...session },
      ...rest,
    },
    env,
  }
}

function problems(overrides: Record<string, unknown>, env: Record<string, string> = {}, production = true): string[] {
  const result = checkConfig(sources(overrides, env), production)
  return result.ok ? [] : result.problems
}

describe('checkConfig', () => {
  it('accepts the defaults and types every value', () => {
    const result = checkConfig(sources({}, { PORT: '3000', HOST: '127.0.0.1' }), true)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.config).toMatchObject({ port: 3000, host: '127.0.0.1', trustProxy: false, cookieSecure: true, sessionMaxAge: 604800, allowedOrigins: [] })
    expect(result.config.limits).toEqual(DEFAULT_LIMITS)
  })

  it('names the variable, the value as set and what is allowed for a limit that is not a number', () => {
    const found = problems({ limits: { messagesPerSecond: 'abc' } }, { NUXT_LIMITS_MESSAGES_PER_SECOND: 'abc' })
    expect(found).toEqual(['NUXT_LIMITS_MESSAGES_PER_SECOND="abc" is not allowed: expected a whole number >= 1, or 0 to turn the limit off'])
  })

  it('takes numeric strings and numbers, keeps 0 only where it turns a limit off, and refuses below the minimum', () => {
    const ok = checkConfig(sources({ limits: { messagesPerSecond: '0', messageBurst: 7, signInsPerMinute: 0 } }), true)
    expect(ok.ok && ok.config.limits).toMatchObject({ messagesPerSecond: 0, messageBurst: 7, signInsPerMinute: 0 })
    expect(problems({ limits: { heartbeatIntervalMs: 0 } })).toEqual([expect.stringContaining('NUXT_LIMITS_HEARTBEAT_INTERVAL_MS=0 is not allowed: expected a whole number >= 100')])
    expect(problems({ limits: { maxConnections: 0 } })).toEqual([expect.stringContaining('NUXT_LIMITS_MAX_CONNECTIONS=0')])
    expect(problems({ limits: { resumeLimit: 2.5 } })).toEqual([expect.stringContaining('NUXT_LIMITS_RESUME_LIMIT=2.5')])
    expect(problems({ limits: { messageBurst: -1 } })).toHaveLength(1)
  })

  it('has a rule for every limit, and checks each', () => {
    expect(Object.keys(LIMIT_RULES).sort()).toEqual(Object.keys(DEFAULT_LIMITS).sort())
    for (const key of Object.keys(DEFAULT_LIMITS)) {
      expect(problems({ limits: { [key]: 'x' } })).toEqual([expect.stringContaining(envName(['limits', key]))])
    }
  })

  it('refuses a session max age that is not a number, and other malformed values', () => {
    expect(problems({ session: { maxAge: 'abc' } })).toEqual([expect.stringContaining('NUXT_SESSION_MAX_AGE="abc"')])
    expect(problems({ databaseUrl: 'not a url' })).toEqual([expect.stringContaining('NUXT_DATABASE_URL="not a url"')])
    expect(problems({ databaseUrl: 'mysql://db/banter', redisUrl: '' })).toEqual([expect.stringContaining('postgres://')])
    expect(problems({ databaseSchema: 'drop table;' })).toEqual([expect.stringContaining('NUXT_DATABASE_SCHEMA')])
    expect(problems({ redisUrl: 'localhost:6379', databaseUrl: 'postgres://db/banter' })).toEqual([expect.stringContaining('NUXT_REDIS_URL="localhost:6379"')])
    expect(problems({ trustProxy: 'yes' })).toEqual([expect.stringContaining('NUXT_TRUST_PROXY="yes" is not allowed: expected true or false')])
    expect(problems({ allowedOrigins: 'https://ok.example, chat.example.com' })).toEqual([expect.stringContaining('NUXT_ALLOWED_ORIGINS')])
    expect(problems({ logLevel: 'loud' })).toEqual([expect.stringContaining('NUXT_LOG_LEVEL="loud"')])
    expect(problems({ metricsToken: 'short' })).toEqual([expect.stringContaining('NUXT_METRICS_TOKEN=(5 characters)')])
  })

  it('checks PORT and HOST as the server entry reads them (NITRO_* first)', () => {
    expect(problems({}, { PORT: 'abc' })).toEqual(['PORT="abc" is not allowed: expected a port number from 0 to 65535'])
    expect(problems({}, { PORT: '70000' })).toEqual([expect.stringContaining('PORT="70000"')])
    expect(problems({}, { NITRO_PORT: 'x', PORT: '3000' })).toEqual([expect.stringContaining('NITRO_PORT="x"')])
    expect(problems({}, { HOST: 'not a host!' })).toEqual([expect.stringContaining('HOST="not a host!"')])
    for (const host of ['0.0.0.0', '::', '::1', 'localhost', 'chat.example.com', '']) expect(problems({}, { HOST: host })).toEqual([])
  })

  it('refuses Redis without PostgreSQL: two instances would write two SQLite files', () => {
    expect(problems({ redisUrl: 'redis://127.0.0.1:6379' })).toEqual([expect.stringContaining('NUXT_REDIS_URL is set but NUXT_DATABASE_URL is not')])
    expect(problems({ redisUrl: 'redis://127.0.0.1:6379', databaseUrl: 'postgres://127.0.0.1/test' })).toEqual([])
  })

  it('refuses an S3 endpoint without its bucket and keys, and never prints the keys', () => {
    const s3 = { dir: '.data/files', s3Endpoint: 'http://127.0.0.1:9000', s3Bucket: 'banter', s3Region: 'us-east-1', s3AccessKeyId: 'key-id-1', s3SecretAccessKey: 'secret-key-1' }
    expect(problems({ files: s3 })).toEqual([])
    expect(problems({ files: { ...s3, s3SecretAccessKey: '' } })).toEqual([expect.stringContaining('NUXT_FILES_S3_ENDPOINT is set but')])
    const badUrl = problems({ files: { ...s3, s3Endpoint: 'ftp://files.example' } })
    expect(badUrl).toEqual([expect.stringContaining('NUXT_FILES_S3_ENDPOINT=')])
    expect(problems({ files: { ...s3, s3Bucket: 'Not A Bucket' } }).join()).toContain('NUXT_FILES_S3_BUCKET')
    expect(problems({ files: { ...s3, s3Region: 'us east', s3SecretAccessKey: 'secret-key-1' } }).join()).not.toContain('secret-key-1')
  })

  it('needs a session secret in production and never prints it', () => {
    const found = problems({ session: { password: 'too-short-secret' } })
    expect(found).toEqual([expect.stringContaining('NUXT_SESSION_PASSWORD=(16 characters) is not allowed')])
    expect(found[0]).not.toContain('too-short-secret')
    expect(problems({ session: { password: '' } })).toEqual([expect.stringContaining('NUXT_SESSION_PASSWORD=(not set)')])
    expect(problems({ session: { password: '' } }, {}, false)).toEqual([])
  })

  it('refuses a non-Secure cookie in production unless NUXT_ALLOW_INSECURE_COOKIES=true confirms it', () => {
    const insecure = { session: { password: SECRET, maxAge: 60, cookie: { secure: false } } }
    expect(problems(insecure)).toEqual([expect.stringContaining('NUXT_SESSION_COOKIE_SECURE=false is refused in production')])
    expect(problems({ ...insecure, allowInsecureCookies: 'true' })).toEqual([])
    expect(problems(insecure, {}, false)).toEqual([])
    const result = checkConfig(sources({ ...insecure, allowInsecureCookies: true }), true)
    expect(result.ok && result.config.cookieSecure).toBe(false)
  })

  it('takes a VAPID key pair with its subject, and no keys at all (push off)', () => {
    const keys = webPush.generateVAPIDKeys()
    const on = checkConfig(sources({ vapid: { ...keys, subject: 'mailto:ops@example.com' } }), true)
    expect(on.ok && on.config).toMatchObject({ vapidPublicKey: keys.publicKey, vapidPrivateKey: keys.privateKey, vapidSubject: 'mailto:ops@example.com' })
    expect(problems({})).toEqual([])
  })

  it('refuses VAPID keys that are not one pair, half a pair, or a subject push services refuse, and never prints the private key', () => {
    const keys = webPush.generateVAPIDKeys()
    const other = webPush.generateVAPIDKeys()
    const mixed = problems({ vapid: { publicKey: keys.publicKey, privateKey: other.privateKey, subject: 'mailto:ops@example.com' } })
    expect(mixed).toEqual([expect.stringContaining('are not a P-256 key pair')])
    expect(mixed[0]).not.toContain(other.privateKey)
    expect(problems({ vapid: { publicKey: 'not-a-key', privateKey: 'nor-this', subject: 'mailto:ops@example.com' } })).toEqual([expect.stringContaining('are not a P-256 key pair')])
    expect(problems({ vapid: { ...keys, subject: '' } })).toEqual([expect.stringContaining('set together or not at all')])
    expect(problems({ vapid: { publicKey: keys.publicKey, privateKey: '', subject: 'mailto:ops@example.com' } })).toEqual([expect.stringContaining('set together or not at all')])
    expect(problems({ vapid: { ...keys, subject: 'http://example.com' } }, { NUXT_VAPID_SUBJECT: 'http://example.com' })).toEqual([expect.stringContaining('NUXT_VAPID_SUBJECT="http://example.com" is not allowed')])
  })

  it('reports every bad value at once, in one line', () => {
    const found = problems({ limits: { maxConnections: 0 }, logLevel: 'x' }, { PORT: 'abc' })
    expect(found).toHaveLength(3)
    const line = formatProblems(found)
    expect(line.split('\n')).toHaveLength(1)
    expect(line).toMatch(/^banter will not start: /)
    for (const variable of ['NUXT_LOG_LEVEL="x"', 'NUXT_LIMITS_MAX_CONNECTIONS=0', 'PORT="abc"']) expect(line).toContain(variable)
  })
})

describe('envName', () => {
  it('maps runtime config paths to the variables Nitro reads', () => {
    expect(envName(['limits', 'messagesPerSecond'])).toBe('NUXT_LIMITS_MESSAGES_PER_SECOND')
    expect(envName(['session', 'cookie', 'secure'])).toBe('NUXT_SESSION_COOKIE_SECURE')
    expect(envName(['databaseUrl'])).toBe('NUXT_DATABASE_URL')
  })
})

describe('database path', () => {
  it('takes a relative path from the folder holding .output, wherever the process was started', () => {
    expect(appDirectory('/srv/banter/.output/server/index.mjs')).toBe('/srv/banter')
    expect(appDirectory('/opt/app/server/index.mjs')).toBe('/opt/app/server')
    expect(resolveDatabasePath('.data/banter.sqlite', '/srv/banter')).toBe('/srv/banter/.data/banter.sqlite')
    expect(resolveDatabasePath('/var/lib/banter/db.sqlite', '/srv/banter')).toBe('/var/lib/banter/db.sqlite')
    expect(resolveDatabasePath(':memory:', '/srv/banter')).toBe(':memory:')
  })
})
