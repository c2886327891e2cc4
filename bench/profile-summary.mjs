// Prints the top self-time functions of a .cpuprofile (from `npm run bench -- --profile`), and the same by file.
// Usage: node bench/profile-summary.mjs bench/results/profile-<stamp>/CPU.*.cpuprofile [top=25]
import { readFileSync } from 'node:fs'

const [file, top = '25'] = process.argv.slice(2)
const profile = JSON.parse(readFileSync(file, 'utf8'))
const byId = new Map(profile.nodes.map(node => [node.id, node]))
const selfMicros = new Map()
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
}
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0)
const byFunction = new Map()
const byFile = new Map()
for (const [id, micros] of selfMicros) {
  const { functionName, url, lineNumber } = byId.get(id).callFrame
  const shortUrl = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\.output\//, '.output/') || '(native)'
  const key = `${functionName || '(anonymous)'}  ${shortUrl}${url ? `:${lineNumber + 1}` : ''}`
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros)
  byFile.set(shortUrl, (byFile.get(shortUrl) ?? 0) + micros)
}
const print = (title, map) => {
  console.log(`\n${title} (of ${(total / 1e6).toFixed(2)} s sampled)`)
  for (const [key, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
    console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${key}`)
  }
}
print('self time by function', byFunction)
print('self time by file', byFile)
