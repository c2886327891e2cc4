import { fileURLToPath } from 'node:url'
import { DEFAULT_LIMITS } from './server/utils/chat/limits'

// https://nuxt.com/docs/api/configuration/nuxt-config
export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  devtools: { enabled: false },
  // Routes call the top of server/utils/ through auto-import; everything in its subsystem folders is imported
  // explicitly as #server/utils/<subsystem>/<file> (Nitro 2.13 auto-imports those too, but nothing relies on it).
  alias: { '#server': fileURLToPath(new URL('./server', import.meta.url)) },
  modules: ['@pinia/nuxt', 'nuxt-auth-utils', '@nuxt/eslint'],
  css: ['~/assets/main.css'],
  auth: {
    // The app asks GET /api/session itself: nuxt-auth-utils' own session fetch on every page load is not needed.
    loadStrategy: 'none',
    // Passkeys: nuxt-auth-utils' WebAuthn handlers and useWebAuthn (with @simplewebauthn/* 11, its peer range).
    webAuthn: true,
  },
  app: {
    head: {
      title: 'banter',
      htmlAttrs: { lang: 'en' },
      meta: [
        { name: 'viewport', content: 'width=device-width, initial-scale=1' },
        { name: 'color-scheme', content: 'light dark' },
        { name: 'theme-color', content: '#4f46e5' },
      ],
      // Installable: public/manifest.webmanifest and public/sw.js (plugins/service-worker.client.ts registers it).
      link: [
        { rel: 'manifest', href: '/manifest.webmanifest' },
        { rel: 'icon', type: 'image/png', href: '/icons/banter-192.png' },
        { rel: 'apple-touch-icon', href: '/icons/banter-192.png' },
      ],
    },
  },
  runtimeConfig: {
    // Every setting here is checked at start-up (server/utils/config/schema.ts); docs/configuration.md lists them.
    /** SQLite file that holds rooms, messages, accounts and sessions; a relative path is taken from the app directory. */
    databasePath: '.data/banter.sqlite',
    /** PostgreSQL connection string; when set, history is stored there instead of SQLite. */
    databaseUrl: '',
    /** PostgreSQL schema for banter's tables (letters, digits, underscores). */
    databaseSchema: 'banter',
    /** Redis URL; when set, instances share live events through Redis pub/sub. */
    redisUrl: '',
    /** Prefix of banter's Redis channel, so several deployments can share one Redis. */
    redisPrefix: 'banter',
    /** Extra origins allowed to open the WebSocket, comma separated (same origin is always allowed). */
    allowedOrigins: '',
    /** Behind a reverse proxy that overwrites X-Forwarded-For: 'true' makes it the client address (sign-in limits). */
    trustProxy: 'false',
    retention: {
      /** Messages older than this many days are removed (NUXT_RETENTION_DAYS); 0 keeps everything. @default 0 */
      days: 0,
      /** Seconds between retention runs (NUXT_RETENTION_INTERVAL_SECONDS). @default 3600 */
      intervalSeconds: 3600,
    },
    files: {
      /** Uploaded files on disk (NUXT_FILES_DIR), unless an S3 endpoint is set; relative to the app directory. */
      dir: '.data/files',
      /** An S3-compatible service for uploaded files, shared by every instance (NUXT_FILES_S3_ENDPOINT and the four below). */
      s3Endpoint: '',
      s3Bucket: '',
      s3Region: 'us-east-1',
      s3AccessKeyId: '',
      s3SecretAccessKey: '',
    },
    /** Per-connection limits; see server/utils/chat/limits.ts. Env: NUXT_LIMITS_MESSAGES_PER_SECOND and so on. */
    limits: { ...DEFAULT_LIMITS },
    /** Server log level: trace, debug, info, warn, error, fatal or silent. */
    logLevel: 'info',
    /** When set, GET /metrics answers with this bearer token (Prometheus text); empty turns metrics off. */
    metricsToken: '',
    /** Names this instance in logs, health and metrics; empty: host name and process id. */
    instanceId: '',
    /** Web Push (VAPID): `nuxt dev` writes a pair into .env on first run; without keys push is off. */
    vapid: { publicKey: '', privateKey: '', subject: '' },
    push: {
      /** Accepts http://127.0.0.1 and http://localhost push endpoints (tests and development only). */
      allowInsecureEndpoints: false,
    },
    /** Confirms NUXT_SESSION_COOKIE_SECURE=false in production (plain HTTP on a LAN). */
    allowInsecureCookies: false,
    session: {
      // nuxt-auth-utils' own default; nuxt dev writes one into .env, production must set it (server/plugins/banter.ts).
      password: process.env.NUXT_SESSION_PASSWORD || '',
      /** Sessions end a week after sign-in (seconds); open sockets are closed with 1008 then. */
      maxAge: 60 * 60 * 24 * 7,
      // Sessions travel in the cookie only: h3 would also read an x-nuxt-session-session header, which the
      // upgrade's session cache (server/utils/session/session-user.ts) would not key on.
      sessionHeader: false,
      /** `secure: false` (NUXT_SESSION_COOKIE_SECURE=false) lets the cookie travel over plain HTTP: see docs/configuration.md. */
      cookie: { sameSite: 'lax', secure: true },
    },
  },
  nitro: {
    experimental: { websocket: true },
    // better-sqlite3 is a native addon: keep it out of the bundle so its .node binary is traced.
    externals: { external: ['better-sqlite3'] },
    // The emoji picker's data, served from banter's own origin (components/EmojiPickerButton.vue): no CDN, and the CSP holds.
    publicAssets: [{
      dir: fileURLToPath(new URL('./node_modules/emoji-picker-element-data/en/emojibase', import.meta.url)),
      baseURL: '/emoji',
      maxAge: 60 * 60 * 24,
    }],
  },
  typescript: { strict: true },
  // emoji-picker-element is a web component, not a Vue one.
  vue: { compilerOptions: { isCustomElement: tag => tag === 'emoji-picker' } },
  hooks: {
    // With WebSockets on, nuxt-auth-utils adds a server plugin that opens a session on every request: each
    // anonymous or refused request was answered with a fresh session cookie, replacing whatever cookie the
    // browser held. banter reads sessions itself without writing (server/utils/session/sessions.ts).
    'nitro:config'(config) {
      config.plugins = config.plugins?.filter(plugin => typeof plugin !== 'string' || !/nuxt-auth-utils[\\/].*plugins[\\/]ws(\.m?js)?$/.test(plugin))
    },
  },
})
