import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './server'

/** Debian's nginx (`apt-get install -y nginx`; .ci/run installs it). */
export const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx'

/** The proxy set-up the README documents, verbatim (it shows this file). */
export const DEPLOY_NGINX_CONF = 'deploy/nginx.conf'

export interface RunningNginx {
  port: number
  url: string
  /** What nginx wrote to its error log. */
  errors(): string
  stop(): Promise<void>
}

/**
 * Replaces `from` with `to` in the documented config, refusing when `from` is not there exactly once: a test
 * must fail when the document it runs has drifted from what the test expects to change.
 */
export function replaceOnce(config: string, from: string | RegExp, to: string): string {
  const matches = typeof from === 'string' ? config.split(from).length - 1 : (config.match(new RegExp(from, 'g')) ?? []).length
  if (matches !== 1) throw new Error(`${DEPLOY_NGINX_CONF}: expected ${String(from)} once, found it ${matches} times`)
  return config.replace(from, to)
}

/**
 * The documented config made runnable here: the upstream is the given servers, the listener a plain-HTTP
 * loopback port instead of 443 with certificates (which is the point: a port other than 443).
 */
export function documentedConfig(upstreams: string[], port: number, config = readFileSync(DEPLOY_NGINX_CONF, 'utf8')): string {
  let runnable = replaceOnce(config, / {2}server 10\.0\.0\.11:3000;\n {2}server 10\.0\.0\.12:3000;\n/, upstreams.map(server => `  server ${server};\n`).join(''))
  runnable = replaceOnce(runnable, 'listen 443 ssl;', `listen 127.0.0.1:${port};`)
  runnable = replaceOnce(runnable, / {2}ssl_certificate .*\n {2}ssl_certificate_key .*\n/, '')
  return runnable
}

/** Starts nginx in the foreground as the current user, with everything (temp files, logs, pid) in a temp prefix. */
export async function startNginx(httpBlock: (port: number) => string): Promise<RunningNginx> {
  const prefix = mkdtempSync(join(tmpdir(), 'banter-nginx-'))
  mkdirSync(join(prefix, 'logs'))
  const port = await freePort()
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(kind => `  ${kind}_temp_path ${join(prefix, kind)};`).join('\n')
  const errorLog = join(prefix, 'logs', 'error.log')
  writeFileSync(join(prefix, 'nginx.conf'), `daemon off;
# One process as the current user: no master dropping privileges to a user that could not read the prefix.
master_process off;
pid ${join(prefix, 'nginx.pid')};
error_log ${errorLog} info;
events { worker_connections 512; }
http {
  access_log ${join(prefix, 'logs', 'access.log')};
${temp}
${httpBlock(port)}
}
`)
  const child = spawn(NGINX, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', errorLog], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', chunk => (output += chunk))
  child.stderr!.on('data', chunk => (output += chunk))
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  const errors = () => output + (existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : '')
  await waitForPort(port, child, errors)
  return {
    port,
    url: `http://localhost:${port}`,
    errors,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
      rmSync(prefix, { recursive: true, force: true })
    },
  }
}

async function waitForPort(port: number, child: ChildProcess, errors: () => string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${errors()}`)
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  child.kill('SIGKILL')
  throw new Error(`nginx did not listen on ${port} within 10 s:\n${errors()}`)
}
