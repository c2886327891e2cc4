// `npm run bench`: starts banter, a plain ws server and Socket.IO in turn (each pinned to core 0), drives them
// from load processes on core 1, prints a markdown table with ratios and writes bench/results/<timestamp>.json.
// Flags: --quick, --smoke, --scenario=throughput,latency,memory,connections,
// --servers=banter,banter-pg,banter-pg2,ws,ws-batched,socketio,socketio-redis (see SERVERS in lib/servers.mjs),
// --rooms=32, --duration=5, --rates=10000,50000, --memory=1000,5000, --steps=5000,10000, --per-user=10,
// --conn-per-user=100, --burst=8, --profile (banter with --cpu-prof), --env=NUXT_KEY=value (to banter).
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cpus, loadavg } from 'node:os'
import { parseOptions } from './lib/options.mjs'
import { HAS_TASKSET, pinSelf } from './lib/cores.mjs'
import { SERVERS, SERVER_LABELS, requireBanterBuild, startServer } from './lib/servers.mjs'
import { serviceProblem } from './lib/services.mjs'
import { markdownReport } from './lib/report.mjs'
import { throughput } from './scenarios/throughput.mjs'
import { latency } from './scenarios/latency.mjs'
import { memory } from './scenarios/memory.mjs'
import { connections } from './scenarios/connections.mjs'

const SCENARIO_RUNNERS = { throughput, latency, memory, connections }
// V8 grows its young generation (up to 32 MiB) whenever allocation is brisk: in one server during sign-in, in
// another while its first sockets open. Fixed at one size for every server, it is not counted as anyone's sockets.
const MEMORY_NODE_FLAGS = ['--min-semi-space-size=16', '--max-semi-space-size=16']
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)

const options = parseOptions(process.argv.slice(2))
if (options.servers.some(kind => SERVERS[kind].client === 'banter')) requireBanterBuild()
pinSelf(1)
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const resultsDir = join('bench', 'results')
const profileDir = options.profile ? join(resultsDir, `profile-${stamp}`) : null
log(`bench: ${options.servers.join(', ')} × ${options.scenarios.join(', ')}; taskset ${HAS_TASKSET ? 'on (server core 0, clients core 1)' : 'missing: processes are not pinned'}`)

// A server whose services are absent is left out, and the run says so (and so does its column: –).
const absent = {}
for (const service of new Set(options.servers.flatMap(kind => SERVERS[kind].services ?? []))) {
  const problem = await serviceProblem(service)
  if (problem) absent[service] = problem
}
const missed = options.servers.map(kind => [kind, (SERVERS[kind].services ?? []).filter(service => absent[service])]).filter(([, services]) => services.length > 0)
const skipped = missed.map(([kind, services]) => `${SERVER_LABELS[kind]} not run: ${services.map(service => absent[service]).join('; ')}`)
for (const line of skipped) log(line)

const results = {}
let crashed = false
const busy = {}
for (const kind of options.servers) {
  results[kind] = {}
  if (missed.some(([name]) => name === kind)) continue
  // Other work on this machine skews every figure: say so next to the numbers it touched.
  busy[kind] = loadavg()[0]
  if (busy[kind] > 1) log(`warning: load average ${busy[kind].toFixed(1)} before ${kind}: other processes (or the previous server winding down) share the cores; figures will be noisy`)
  for (const scenario of options.scenarios) {
    const runs = (options.smoke && SERVERS[kind].smoke) || SERVERS[kind].scenarios
    if (runs && !runs.includes(scenario)) continue
    // A fresh server per scenario: memory starts from a clean process, and one scenario cannot slow the next.
    const server = await startServer(kind, {
      extraEnv: options.env,
      profileDir: SERVERS[kind].client === 'banter' ? profileDir : null,
      nodeFlags: scenario === 'memory' ? MEMORY_NODE_FLAGS : [],
    })
    const started = performance.now()
    try {
      results[kind][scenario] = await SCENARIO_RUNNERS[scenario](server, options)
    }
    finally {
      if (server.crashed()) {
        crashed = true
        log(`${kind} crashed during ${scenario}:\n${server.output()}`)
      }
      await server.stop()
    }
    log(`${SERVER_LABELS[kind]} ${scenario}: ${((performance.now() - started) / 1000).toFixed(1)} s ${JSON.stringify(results[kind][scenario])}`)
  }
}

const report = markdownReport(options, results)
console.log(`\n${report}`)
for (const line of skipped) console.log(`- ${line}`)
if (Object.values(busy).some(load => load > 1)) console.log(`Load average before each server (1 min): ${JSON.stringify(busy)}: other processes shared the cores.`)
const failed = crashed || hasFailure(results)
if (!options.smoke) {
  mkdirSync(resultsDir, { recursive: true })
  const file = join(resultsDir, `${stamp}.json`)
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim()
  const machine = { loadAverageBeforeEachServer: busy, node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model, taskset: HAS_TASKSET }
  writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), commit, machine, options, results, skipped, profileDir }, null, 2)}\n`)
  log(`results: ${file}${profileDir ? `; banter CPU profiles: ${profileDir}` : ''}`)
}
if (failed) log('FAILED: a server crashed or a run lost or duplicated messages (see FAIL above).')
process.exit(failed ? 1 : 0)

/** Loss, duplicates, closed sockets or a crash anywhere; a connections step over the p99 limit is a figure, not a failure. */
function hasFailure(all) {
  return Object.values(all).some(byScenario => Object.entries(byScenario).some(([scenario, cells]) => {
    if (scenario === 'connections') return cells.steps.some(step => step.failure)
    return cells.some(cell => cell.failure)
  }))
}

function log(message) {
  console.error(`[bench] ${message}`)
}
