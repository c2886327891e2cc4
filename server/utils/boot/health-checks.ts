/** A backend check that did not answer in time counts as down: health must answer within a second. */
export const CHECK_TIMEOUT_MS = 800

export interface BackendState {
  reachable: boolean
  latencyMs: number
}

/** Runs one check with a deadline; a rejection or a late answer is "unreachable". */
export async function timedCheck(check: () => Promise<boolean>, timeoutMs = CHECK_TIMEOUT_MS): Promise<BackendState> {
  const started = performance.now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<boolean>(resolve => (timer = setTimeout(() => resolve(false), timeoutMs)))
  try {
    const reachable = await Promise.race([check().catch(() => false), late])
    return { reachable, latencyMs: Math.round((performance.now() - started) * 10) / 10 }
  }
  finally {
    clearTimeout(timer)
  }
}
