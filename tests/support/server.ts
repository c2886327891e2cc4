import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

/** The production build every test tier runs against: `npm test` builds it once with `nuxt build`. */
export const SERVER_ENTRY = '.output/server/index.mjs'

/** A fixed secret for test servers only; production refuses to start without its own. */
export const TEST_SESSION_PASSWORD = 'test-only-session-password-0123456789abcdef'

export interface RunningServer {
  url: string
  port: number
  process: ChildProcess
  databasePath: string
  /** Everything the server printed so far. */
  output(): string
  /** Sends SIGTERM and resolves with the exit code once the process is gone; the data stays. */
  terminate(): Promise<number | null>
  /** Terminates the server and deletes the data it created. */
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface ServerOptions {
  /** Reuse a database (to restart a server on its data); by default each server gets a new one. */
  databasePath?: string
  /** Listen on this port (to restart a server where its clients expect it); by default a free one. */
  port?: number
  /** Start from this working directory (the server must not care); by default the project's. */
  cwd?: string
  /** Resolve once /api/health says ok (default), or once it answers at all (a server started with a backend down). */
  ready?: 'healthy' | 'answering'
}

/** Starts the built server with its own SQLite file; resolves once it answers /api/health. */
export async function startServer(env: Record<string, string> = {}, options: ServerOptions = {}): Promise<RunningServer> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build\` first.`)
  const port = options.port ?? await freePort()
  const dataDir = options.databasePath ? null : mkdtempSync(join(tmpdir(), 'banter-test-'))
  const databasePath = options.databasePath ?? join(dataDir!, 'banter.sqlite')
  const child = spawn(process.execPath, [resolve(SERVER_ENTRY)], {
    cwd: options.cwd,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      NUXT_DATABASE_PATH: databasePath,
      // Uploaded files beside the database, so stop() removes them too.
      NUXT_FILES_DIR: join(databasePath, '..', 'files'),
      NUXT_SESSION_PASSWORD: TEST_SESSION_PASSWORD,
      // Every test client comes from 127.0.0.1, and suites make rooms by the dozen: the per-address sign-in rate
      // and socket cap, and the room creation rate, are lifted unless a test sets them (tests/e2e/caps.test.ts does).
      NUXT_LIMITS_SIGN_INS_PER_MINUTE: '0',
      NUXT_LIMITS_MAX_CONNECTIONS_PER_ADDRESS: '0',
      NUXT_LIMITS_ROOMS_PER_HOUR: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  let output = ''
  child.stdout!.on('data', chunk => (output += chunk))
  child.stderr!.on('data', chunk => (output += chunk))
  const url = `http://localhost:${port}`
  await waitForHealth(url, child, () => output, options.ready ?? 'healthy')
  const terminate = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    return exited
  }
  return {
    url,
    port,
    process: child,
    databasePath,
    output: () => output,
    terminate,
    async stop() {
      await terminate()
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, ready: 'healthy' | 'answering'): Promise<void> {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output()}`)
    try {
      const response = await fetch(`${url}/api/health`)
      if (response.ok || ready === 'answering') return
    }
    catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  child.kill('SIGKILL')
  throw new Error(`the server did not answer /api/health within 20 s:\n${output()}`)
}

/** How a server that was expected to refuse to start ended. */
export interface RefusedStart {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the built server with this env and resolves once it exits (a start-up refusal); kills it after 15 s. */
export async function runUntilExit(env: Record<string, string>, cwd?: string): Promise<RefusedStart> {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build\` first.`)
  const child = spawn(process.execPath, [resolve(SERVER_ENTRY)], {
    cwd,
    env: { ...process.env, PORT: String(await freePort()), HOST: '127.0.0.1', NUXT_SESSION_PASSWORD: TEST_SESSION_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', chunk => (stdout += chunk))
  child.stderr!.on('data', chunk => (stderr += chunk))
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  const code = await new Promise<number | null>(resolve => child.once('exit', code => resolve(code)))
  clearTimeout(killer)
  return { code, stdout, stderr }
}
