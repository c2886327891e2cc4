// Command-line flags and the three presets: full (default), --quick and --smoke.
import { SERVER_KINDS } from './servers.mjs'

export const SCENARIOS = ['throughput', 'latency', 'memory', 'connections']

const FULL = {
  scenarios: SCENARIOS,
  servers: SERVER_KINDS,
  rooms: [8, 32, 128],
  durationMs: 5000,
  warmupMs: 1000,
  rates: [10_000, 50_000],
  latencyRoom: 32,
  memoryCounts: [1000, 5000, 10_000],
  connectionSteps: [5000, 10_000, 15_000, 19_000, 19_900],
  broadcasts: 5,
  broadcastGapMs: 200,
  p99LimitMs: 500,
  /** banter sockets per signed-in user in the memory scenario. */
  perUser: 10,
  /** ...and in the connections scenario, where each user's first join is announced to the whole room. */
  connPerUser: 100,
  burst: null,
  maxPerLoader: 10_000,
  text: 'the quick brown fox jumps over it',
  profile: false,
  env: {},
  smoke: false,
}

const QUICK = { durationMs: 2000, warmupMs: 500, connectionSteps: [5000, 10_000, 19_000], broadcasts: 3 }

// Smoke runs the scale-out path once (two instances on PostgreSQL and Redis), not each of its variants.
const SMOKE = { servers: ['banter', 'banter-pg2', 'ws', 'socketio'], scenarios: ['throughput', 'latency'], rooms: [4], durationMs: 1000, warmupMs: 200, rates: [1000], latencyRoom: 4, smoke: true }

const numbers = value => value.split(',').map(Number)

const FLAGS = {
  'scenario': (o, v) => (o.scenarios = v.split(',')),
  'servers': (o, v) => (o.servers = v.split(',')),
  'rooms': (o, v) => (o.rooms = numbers(v)),
  'duration': (o, v) => (o.durationMs = Number(v) * 1000),
  'rates': (o, v) => (o.rates = numbers(v)),
  'memory': (o, v) => (o.memoryCounts = numbers(v)),
  'steps': (o, v) => (o.connectionSteps = numbers(v)),
  'per-user': (o, v) => (o.perUser = Number(v)),
  'conn-per-user': (o, v) => (o.connPerUser = Number(v)),
  'burst': (o, v) => (o.burst = Number(v)),
  'max-per-loader': (o, v) => (o.maxPerLoader = Number(v)),
  'profile': o => (o.profile = true),
  'env': (o, v) => {
    const at = v.indexOf('=')
    o.env[v.slice(0, at)] = v.slice(at + 1)
  },
}

export function parseOptions(argv) {
  const options = { ...FULL, env: {} }
  if (argv.includes('--quick')) Object.assign(options, QUICK)
  if (argv.includes('--smoke')) Object.assign(options, SMOKE)
  for (const arg of argv) {
    if (arg === '--quick' || arg === '--smoke') continue
    const [, name, value] = arg.match(/^--([a-z-]+)(?:=(.*))?$/) ?? []
    if (!FLAGS[name]) throw new Error(`unknown flag ${arg}; flags: --quick --smoke ${Object.keys(FLAGS).map(flag => `--${flag}`).join(' ')}`)
    FLAGS[name](options, value ?? '')
  }
  for (const scenario of options.scenarios) if (!SCENARIOS.includes(scenario)) throw new Error(`unknown scenario ${scenario}; one of ${SCENARIOS}`)
  for (const server of options.servers) if (!SERVER_KINDS.includes(server)) throw new Error(`unknown server ${server}; one of ${SERVER_KINDS}`)
  return options
}
