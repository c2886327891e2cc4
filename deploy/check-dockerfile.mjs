#!/usr/bin/env node
// node deploy/check-dockerfile.mjs
// Runs the Dockerfile's own steps where no Docker daemon runs: it reads the Dockerfile and, in temp folders
// standing in for the two stages, copies a clean checkout (git's tracked files minus .dockerignore), runs each
// RUN, copies between the stages, then starts CMD as an unprivileged user with the volume in a temp folder and
// waits for HEALTHCHECK to pass. Steps that install system packages (apt-get) are skipped when their tools are
// present. Exits 0 when the container would have come up healthy.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, matchesGlob, resolve } from 'node:path'

const repo = resolve(dirname(new URL(import.meta.url).pathname), '..')
const keep = process.argv.includes('--keep')
const root = mkdtempSync(join(tmpdir(), 'banter-docker-'))
chmodSync(root, 0o755)
const step = message => console.log(`\n[check-dockerfile] ${message}`)
const fail = (message) => {
  console.error(`[check-dockerfile] FAILED: ${message}`)
  process.exit(1)
}

/** The Dockerfile's instructions, continuation lines joined and comments dropped. */
function instructions() {
  const lines = readFileSync(join(repo, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ').split('\n')
  return lines.map(line => line.trim()).filter(line => line && !line.startsWith('#')).map((line) => {
    const [, keyword, rest] = line.match(/^(\S+)\s+(.*)$/)
    return { keyword: keyword.toUpperCase(), rest }
  })
}

/** Files the build context holds: tracked by git, not excluded by .dockerignore. */
function contextFiles() {
  const ignored = readFileSync(join(repo, '.dockerignore'), 'utf8').split('\n').map(line => line.trim()).filter(line => line && !line.startsWith('#'))
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean)
  return tracked.filter(file => existsSync(join(repo, file)) && !ignored.some(pattern => file === pattern || file.startsWith(`${pattern}/`) || matchesGlob(file, pattern)))
}

/** The unprivileged user the image runs as (`USER node`): that user here, or nobody. */
function runAs(name) {
  const id = spawnSync('id', ['-u', name], { encoding: 'utf8' })
  if (id.status === 0) return { name, uid: Number(id.stdout), gid: Number(spawnSync('id', ['-g', name], { encoding: 'utf8' }).stdout) }
  return { name: 'nobody', uid: 65534, gid: 65534 }
}

const stages = []
let stage = null
const volumeRoot = join(root, 'volume-root')
/** Absolute container paths outside the stage's folder (/data) go under one temp folder. */
const containerPath = path => path.startsWith('/app') ? join(stage.dir, path.slice('/app'.length)) : join(volumeRoot, path)

for (const { keyword, rest } of instructions()) {
  switch (keyword) {
    case 'FROM': {
      const [image, , name] = rest.split(/\s+/)
      if (image !== 'node:20-bookworm-slim') fail(`expected node:20-bookworm-slim, found ${image}`)
      const major = process.versions.node.split('.')[0]
      if (major !== '20') fail(`the image runs Node 20; this machine runs ${process.version}`)
      stage = { name: name ?? `stage-${stages.length}`, dir: join(root, `stage-${stages.length}`), cwd: null, env: {}, user: null, volume: null, health: null, cmd: null }
      mkdirSync(stage.dir)
      stages.push(stage)
      step(`FROM ${rest} → ${stage.dir}`)
      break
    }
    case 'WORKDIR':
      stage.cwd = containerPath(rest)
      mkdirSync(stage.cwd, { recursive: true })
      break
    case 'ENV':
      for (const pair of rest.split(/\s+/)) {
        const [key, value] = pair.split('=')
        stage.env[key] = value.startsWith('/') && !value.startsWith('/app') ? containerPath(value) : value
      }
      break
    case 'COPY': {
      const from = rest.match(/^--from=(\S+)\s+/)
      const [source, dest] = rest.replace(/^--from=\S+\s+/, '').split(/\s+(?=\S+$)/)
      const target = join(stage.cwd, dest)
      if (from) {
        const origin = stages.find(candidate => candidate.name === from[1])
        cpSync(containerPath.call(null, source).replace(stage.dir, origin.dir), target, { recursive: true, verbatimSymlinks: true })
      }
      else if (source === '.') {
        for (const file of contextFiles()) cpSync(join(repo, file), join(target, file), { recursive: true })
      }
      else {
        for (const file of source.split(/\s+/)) cpSync(join(repo, file), join(target, file))
      }
      step(`COPY ${rest}`)
      break
    }
    case 'RUN': {
      if (/apt-get/.test(rest)) {
        const tools = ['python3', 'make', 'g++'].filter(tool => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
        if (tools.length) fail(`missing ${tools.join(', ')}: the image installs them with apt-get`)
        step(`RUN ${rest.slice(0, 60)}… skipped: python3, make and g++ are here`)
        break
      }
      // Container paths in the command (/data) point into the stand-in folders.
      const command = rest.replace(/(?<=\s)\/data\b/g, join(volumeRoot, 'data'))
      step(`RUN ${command}`)
      const started = Date.now()
      const result = spawnSync('bash', ['-c', command.replace(/chown node:node/g, `chown ${runAs('node').uid}:${runAs('node').gid}`)], { cwd: stage.cwd, stdio: 'inherit', env: { ...process.env, ...stage.env } })
      if (result.status !== 0) fail(`RUN ${rest} exited with ${result.status}`)
      console.log(`[check-dockerfile] done in ${Math.round((Date.now() - started) / 1000)} s`)
      break
    }
    case 'USER':
      stage.user = runAs(rest)
      break
    case 'VOLUME':
      stage.volume = containerPath(rest)
      break
    case 'HEALTHCHECK':
      stage.health = JSON.parse(rest.replace(/^.*?CMD\s+/, ''))
      break
    case 'CMD':
      stage.cmd = JSON.parse(rest)
      break
    case 'EXPOSE':
      break
    default:
      fail(`this script does not know ${keyword}: teach it before using it in the Dockerfile`)
  }
}

const final = stages.at(-1)
if (!final.user || final.user.uid === 0) fail('the image must run as a non-root user (USER)')
if (!final.volume || !final.health || !final.cmd) fail('the image needs VOLUME, HEALTHCHECK and CMD')
// The stand-in root must be readable by that user, as an image's files are.
for (let dir = final.cwd; dir.startsWith(root); dir = dirname(dir)) chmodSync(dir, 0o755)
chmodSync(volumeRoot, 0o755)
if (statSync(final.volume).uid !== final.user.uid) fail(`${final.volume} is not owned by ${final.user.name}`)

const port = String(30_000 + Math.floor(Math.random() * 20_000))
const env = { PATH: process.env.PATH, ...final.env, PORT: port, HOST: '127.0.0.1', NUXT_SESSION_PASSWORD: 'check-dockerfile-only-session-password-0123456789' }
step(`CMD ${final.cmd.join(' ')} as ${final.user.name} (uid ${final.user.uid}), data in ${final.volume}, port ${port}`)
const server = spawn(final.cmd[0] === 'node' ? process.execPath : final.cmd[0], final.cmd.slice(1), { cwd: final.cwd, env, uid: final.user.uid, gid: final.user.gid, stdio: 'inherit' })
const exited = new Promise(resolve => server.once('exit', code => resolve(code)))
const health = () => spawnSync(final.health[0] === 'node' ? process.execPath : final.health[0], final.health.slice(1), { env, uid: final.user.uid, gid: final.user.gid }).status === 0

let healthy = false
const deadline = Date.now() + 30_000
while (!healthy && Date.now() < deadline && server.exitCode === null) {
  healthy = health()
  if (!healthy) await new Promise(resolve => setTimeout(resolve, 500))
}
const problems = []
if (!healthy) problems.push('HEALTHCHECK did not pass within 30 s')
const uid = readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)?.[1]
if (Number(uid) !== final.user.uid) problems.push(`the server ran as uid ${uid}`)
if (!existsSync(env.NUXT_DATABASE_PATH)) problems.push(`no database at ${env.NUXT_DATABASE_PATH}`)
// The backup script works in the image: it finds better-sqlite3 through the node_modules link.
const backup = spawnSync(process.execPath, ['scripts/backup.mjs', join(final.volume, 'backup.sqlite')], { cwd: final.cwd, env, uid: final.user.uid, gid: final.user.gid, encoding: 'utf8' })
if (backup.status !== 0) problems.push(`npm run backup failed in the image: ${backup.stderr}`)
else console.log(backup.stdout.trim())
server.kill('SIGTERM')
const code = await exited
if (code !== 0) problems.push(`SIGTERM ended the server with ${code}`)
if (!keep) rmSync(root, { recursive: true, force: true })
if (problems.length) fail(problems.join('; '))
step(`OK: built and started as ${final.user.name}, healthy, data in the volume, graceful stop${keep ? ` (kept ${root})` : ''}`)
