// Starts each server under test as its own process, pinned to core 0, and reads its memory and CPU from /proc.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pinned } from './cores.mjs'

export const BANTER_ENTRY = '.output/server/index.mjs'
export const SERVER_KINDS = ['banter', 'ws', 'socketio']
export const SERVER_LABELS = { banter: 'banter', ws: 'ws', socketio: 'Socket.IO' }

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

const entries = {
  banter: () => BANTER_ENTRY,
  ws: () => 'bench/servers/ws-broadcast.mjs',
  socketio: () => 'bench/servers/socketio.mjs',
}

/** Fails early, with the fix, when banter's production build is missing. */
export function requireBanterBuild() {
  if (!existsSync(BANTER_ENTRY)) throw new Error(`${BANTER_ENTRY} is missing: run \`npx nuxt build\` (or \`npm run build\`) first.`)
}

/** Starts one server on a free port (banter with a fresh SQLite file) and waits until it answers. */
export async function startServer(kind, { extraEnv = {}, profileDir = null, nodeFlags: extraNodeFlags = [] } = {}) {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'banter-bench-'))
  const nodeFlags = [...extraNodeFlags, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])]
  const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1' }
  if (kind === 'banter') {
    Object.assign(env, { NUXT_DATABASE_PATH: join(dataDir, 'banter.sqlite'), NUXT_SESSION_PASSWORD: BENCH_SESSION_PASSWORD }, BANTER_BENCH_ENV, extraEnv)
  }
  const [command, args] = pinned(0, process.execPath, [...nodeFlags, entries[kind]()])
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const keep = chunk => (output = (output + chunk).slice(-8000))
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise(resolve => child.once('exit', (code, signal) => {
    keep(`\n[exited with code ${code}, signal ${signal}]`)
    resolve()
  }))
  const server = {
    kind,
    port,
    pid: child.pid,
    output: () => output,
    crashed: () => child.exitCode !== null || child.signalCode !== null,
    async stop() {
      if (!server.crashed()) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        await exited
        clearTimeout(timer)
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
  await waitForHealth(server, kind === 'banter' ? '/api/health' : '/health')
  return server
}

async function waitForHealth(server, path) {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (server.crashed()) throw new Error(`${server.kind} exited during start-up:\n${server.output()}`)
    try {
      if ((await fetch(`http://127.0.0.1:${server.port}${path}`)).ok) return
    }
    catch {
      // not listening yet
    }
    await sleep(100)
  }
  await server.stop()
  throw new Error(`${server.kind} did not answer ${path} within 30 s:\n${server.output()}`)
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
