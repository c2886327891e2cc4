// A stand-in for DNS in the server under test (there is no internet here): names under .resolves-private.test
// answer 10.0.0.9, as a public-looking name whose DNS points into the server's network would. Loaded with
// NODE_OPTIONS=--import; every other name goes to the real resolver.
import dns from 'node:dns'
import { syncBuiltinESMExports } from 'node:module'

const realLookup = dns.lookup
dns.lookup = function lookup(hostname, options, callback) {
  if (typeof options === 'function') [options, callback] = [{}, options]
  if (typeof hostname !== 'string' || !hostname.endsWith('.resolves-private.test')) return realLookup.call(dns, hostname, options, callback)
  const answer = { address: '10.0.0.9', family: 4 }
  process.nextTick(() => (options?.all ? callback(null, [answer]) : callback(null, answer.address, answer.family)))
  return {}
}
syncBuiltinESMExports()
