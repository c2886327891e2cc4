// `npm run bench:files`: what sending uploaded files costs the server in memory. Starts the production build on a
// fresh SQLite file and files folder (core 0), uploads one file, then has N readers download it at once, each
// holding its download after the first chunk (a slow phone, a stalled tab), and reads the server's RSS with all
// of them waiting: a server that loads the file whole to send it grows by about the file per reader.
// Every reader then takes the rest and must receive the whole file, or the run fails.
// Flags: --readers=10,40 (each a separate step), --size-mib=10 (the default upload limit).
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { get } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pinSelf } from './lib/cores.mjs'
import { requireBanterBuild, settledRss, startServer } from './lib/servers.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)
const flag = (name, fallback) => {
  const found = process.argv.find(arg => arg.startsWith(`--${name}=`))
  return found ? found.split('=')[1].split(',').map(Number) : fallback
}
const READERS = flag('readers', [10, 40])
const [SIZE_MIB] = flag('size-mib', [10])
const MIB = 2 ** 20

requireBanterBuild()
pinSelf(1)

/** Starts `count` downloads and answers once each has its first chunk, paused there. */
function pausedReaders(url, cookie, count) {
  return Promise.all(Array.from({ length: count }, () => new Promise((resolve, reject) => {
    get(url, { headers: { cookie } }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`a download answered ${response.statusCode}`))
      let received = 0
      response.once('data', (chunk) => {
        received += chunk.length
        response.pause()
        resolve({
          finish: () => new Promise((done, failed) => {
            response.on('data', more => (received += more.length))
            response.once('end', () => done(received))
            response.once('error', failed)
            response.resume()
          }),
        })
      })
    }).once('error', reject)
  })))
}

const filesDir = mkdtempSync(join(tmpdir(), 'banter-bench-files-'))
const server = await startServer('banter', { extraEnv: { NUXT_FILES_DIR: filesDir, NUXT_LIMITS_MAX_UPLOAD_BYTES: String(SIZE_MIB * MIB) } })
const rows = []
try {
  const url = `http://127.0.0.1:${server.port}`
  const session = await fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'origin': url }, body: JSON.stringify({ name: 'reader' }) })
  if (!session.ok) throw new Error(`sign-in failed: ${session.status}`)
  const cookie = session.headers.getSetCookie().map(header => header.split(';')[0]).join('; ')
  const room = `files-${Date.now().toString(36)}`
  const created = await fetch(`${url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url, cookie }, body: JSON.stringify({ name: room }) })
  if (created.status !== 201) throw new Error(`room creation failed: ${created.status}`)
  const uploaded = await fetch(`${url}/api/rooms/${room}/uploads?name=big.bin`, {
    method: 'POST', headers: { 'content-type': 'application/octet-stream', origin: url, cookie }, body: randomBytes(SIZE_MIB * MIB),
  })
  if (uploaded.status !== 201) throw new Error(`the upload failed: ${uploaded.status} ${await uploaded.text()}`)
  const fileUrl = `${url}${(await uploaded.json()).attachment.url}`

  for (const count of READERS) {
    const before = await settledRss(server.pid, { minMs: 500 })
    const readers = await pausedReaders(fileUrl, cookie, count)
    const waiting = await settledRss(server.pid, { minMs: 500 })
    const received = await Promise.all(readers.map(reader => reader.finish()))
    const short = received.filter(bytes => bytes !== SIZE_MIB * MIB).length
    if (short > 0) throw new Error(`${short} of ${count} readers did not get the whole file`)
    const perReader = (waiting - before) / count / MIB
    rows.push({ count, before: before / MIB, waiting: waiting / MIB, perReader, ofFile: perReader / SIZE_MIB })
  }
}
finally {
  await server.stop()
  rmSync(filesDir, { recursive: true, force: true })
}

console.log(`\nSending one ${SIZE_MIB} MiB file to readers who hold their downloads (load average ${loadavg()[0].toFixed(1)}):\n`)
console.log('| readers | server RSS before | with the readers waiting | growth per reader | per reader / file size |')
console.log('| ---: | ---: | ---: | ---: | ---: |')
for (const row of rows) console.log(`| ${row.count} | ${row.before.toFixed(0)} MiB | ${row.waiting.toFixed(0)} MiB | ${row.perReader.toFixed(2)} MiB | ${row.ofFile.toFixed(3)} |`)
