// Starts each server under test as its own process, pinned to core 0, and reads its memory and CPU from /proc.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pinned } from './cores.mjs'
import { REDIS_URL, createDatabase, createRedisPrefix } from './services.mjs'

export const BANTER_ENTRY = '.output/server/index.mjs'
const BOTH = ['throughput', 'latency']

/**
 * Every server the bench knows: the process to start (`entry`, `instances` of it), the load client that speaks
 * to it (`client`), the services it needs, and the scenarios it runs (all when absent; `smoke`: under --smoke).
 */
export const SERVERS = {
  'banter': { label: 'banter', entry: BANTER_ENTRY, client: 'banter' },
  'banter-pg': { label: 'banter PG+Redis', entry: BANTER_ENTRY, client: 'banter', services: ['postgres', 'redis'], scenarios: BOTH },
  // Smoke runs it once, for loss and duplicates across instances (each start makes and migrates a database).
  'banter-pg2': { label: 'banter PG+Redis ×2', entry: BANTER_ENTRY, client: 'banter', services: ['postgres', 'redis'], scenarios: BOTH, smoke: ['throughput'], instances: 2 },
  'ws': { label: 'ws', entry: 'bench/servers/ws-broadcast.mjs', client: 'ws' },
  'ws-batched': { label: 'ws batched', entry: 'bench/servers/ws-batched.mjs', client: 'ws', scenarios: BOTH },
  'socketio': { label: 'Socket.IO', entry: 'bench/servers/socketio.mjs', client: 'socketio' },
  'socketio-redis': { label: 'Socket.IO Redis', entry: 'bench/servers/socketio.mjs', client: 'socketio', services: ['redis'], scenarios: BOTH },
}
export const SERVER_KINDS = Object.keys(SERVERS)
export const SERVER_LABELS = Object.fromEntries(SERVER_KINDS.map(kind => [kind, SERVERS[kind].label]))

/**
 * Extra environment for banter in a bench run. Hook for settings the bench must turn off, such as a rate
 * limit; `--env KEY=VALUE` adds more per run,
 * and NUXT_* variables of the calling shell are passed through as well.
 */
export const BANTER_BENCH_ENV = {
  // Load clients send far past a person's rate and open many sockets per signed-in user.
  NUXT_LIMITS_MESSAGES_PER_SECOND: '0',
  NUXT_LIMITS_FRAMES_PER_SECOND: '0',
  NUXT_LIMITS_MAX_CONNECTIONS_PER_USER: '100000',
  NUXT_LIMITS_SIGN_INS_PER_MINUTE: '0',
  NUXT_LIMITS_MAX_CONNECTIONS: '1000000',
  // Every load client connects from 127.0.0.1 and the bench makes its own rooms.
  NUXT_LIMITS_MAX_CONNECTIONS_PER_ADDRESS: '0',
  NUXT_LIMITS_ROOMS_PER_HOUR: '0',
  NUXT_LIMITS_MAX_ROOMS_PER_USER: '0',
}

const BENCH_SESSION_PASSWORD = 'bench-only-session-password-0123456789abcdef'

/** Fails early, with the fix, when banter's production build is missing. */
export function requireBanterBuild() {
  if (!existsSync(BANTER_ENTRY)) throw new Error(`${BANTER_ENTRY} is missing: run \`npx nuxt build\` (or \`npm run build\`) first.`)
}

/**
 * Starts one server (its instances on free ports, banter with a fresh SQLite file, or a fresh PostgreSQL database
 * and Redis prefix that `stop` drops) and waits until every instance answers. `ports[i]`, `pids[i]`: instance i.
 */
export async function startServer(kind, { extraEnv = {}, profileDir = null, nodeFlags: extraNodeFlags = [] } = {}) {
  const spec = SERVERS[kind]
  const dataDir = mkdtempSync(join(tmpdir(), 'banter-bench-'))
  const services = spec.services ?? []
  const database = services.includes('postgres') ? await createDatabase() : null
  const redis = services.includes('redis') ? createRedisPrefix() : null
  const env = { ...process.env, HOST: '127.0.0.1' }
  if (spec.client === 'banter') {
    Object.assign(env, { NUXT_DATABASE_PATH: join(dataDir, 'banter.sqlite'), NUXT_SESSION_PASSWORD: BENCH_SESSION_PASSWORD }, BANTER_BENCH_ENV, extraEnv)
    if (database) env.NUXT_DATABASE_URL = database.url
    if (redis) Object.assign(env, { NUXT_REDIS_URL: REDIS_URL, NUXT_REDIS_PREFIX: redis.prefix })
  }
  else if (redis) Object.assign(env, { BENCH_REDIS_URL: REDIS_URL, BENCH_REDIS_PREFIX: redis.prefix })
  const nodeFlags = [...extraNodeFlags, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])]
  const instances = []
  for (let index = 0; index < (spec.instances ?? 1); index++) {
    const port = await freePort()
    instances.push(spawnInstance(nodeFlags, spec.entry, { ...env, PORT: String(port) }, port))
  }
  const server = {
    kind,
    client: spec.client,
    port: instances[0].port,
    ports: instances.map(instance => instance.port),
    pid: instances[0].pid,
    pids: instances.map(instance => instance.pid),
    output: () => instances.map(instance => instance.output()).join('\n'),
    crashed: () => instances.some(instance => instance.crashed()),
    async stop() {
      await Promise.all(instances.map(instance => instance.stop()))
      rmSync(dataDir, { recursive: true, force: true })
      await database?.drop().catch(error => console.error(`[bench] could not drop the bench database: ${error.message}`))
      await redis?.drop().catch(error => console.error(`[bench] could not delete the bench Redis keys: ${error.message}`))
    },
  }
  for (const instance of instances) await waitForHealth(instance, spec.client === 'banter' ? '/api/health' : '/health', server)
  return server
}

/** CPU time (user + system) all of a server's instances have used so far, in milliseconds. */
export const serverCpuMs = server => server.pids.reduce((total, pid) => total + cpuMs(pid), 0)

function spawnInstance(nodeFlags, entry, env, port) {
  const [command, args] = pinned(0, process.execPath, [...nodeFlags, entry])
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = chunk => (output = (output + chunk).slice(-8000))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise(resolve => child.once('exit', (code, signal) => {
    keep(`\n[exited with code ${code}, signal ${signal}]`)
    resolve()
  }))
  const instance = {
    port,
    pid: child.pid,
    output: () => output,
    crashed: () => child.exitCode !== null || child.signalCode !== null,
    async stop() {
      if (instance.crashed()) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
  return instance
}

async function waitForHealth(instance, path, server) {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (instance.crashed()) {
      await server.stop()
      throw new Error(`${server.kind} exited during start-up:\n${instance.output()}`)
    }
    try {
      if ((await fetch(`http://127.0.0.1:${instance.port}${path}`)).ok) return
    }
    catch {
      // not listening yet
    }
    await sleep(100)
  }
  await server.stop()
  throw new Error(`${server.kind} did not answer ${path} within 30 s:\n${instance.output()}`)
}

/** Resident memory of a process in bytes (VmRSS). */
export function rssBytes(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find(entry => entry.startsWith('VmRSS:'))
  return Number(line.split(/\s+/)[1]) * 1024
}

/** CPU time (user + system) a process has used so far, in milliseconds. */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10 // utime, stime in clock ticks of 10 ms
}

/** Waits until RSS stops moving (two reads 500 ms apart within 1%), at most `maxMs`, after `minMs`. */
export async function settledRss(pid, { minMs = 1500, maxMs = 6000 } = {}) {
  await sleep(minMs)
  let previous = rssBytes(pid)
  for (let waited = minMs; waited < maxMs; waited += 500) {
    await sleep(500)
    const current = rssBytes(pid)
    if (Math.abs(current - previous) <= previous * 0.01) return current
    previous = current
  }
  return previous
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
