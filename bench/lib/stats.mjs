// Small numeric helpers shared by the scenarios.

/** p-th percentile (0..100) of `values`, nearest rank; null when empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

/** p50, p99 and p99.9 of latencies in ms. */
export function latencySummary(latencies) {
  const sorted = Float64Array.from(latencies).sort()
  return { samples: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), p999: percentile(sorted, 99.9) }
}

/** Why a run cannot be reported as a number, or null when every message arrived exactly once. */
export function failureOf(result, server) {
  const reasons = []
  if (server.crashed()) reasons.push('server crashed')
  if (result.unexpectedCloses) reasons.push(`${result.unexpectedCloses} sockets closed`)
  if (result.gaps) reasons.push(`${result.gaps} skipped`)
  if (result.missing) reasons.push(`${result.missing} missing`)
  if (result.dups) reasons.push(`${result.dups} duplicates`)
  return reasons.length ? reasons.join(', ') : null
}

/** Load-process CPU as a share of one core, e.g. "87%" (the highest process when there are several). */
export const loadCpuText = loadCpu => `${Math.round(Math.max(...loadCpu) * 100)}%`
