import type { TestProject } from 'vitest/node'
import { startServer } from '../../support/server'

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string
    /** The server's process id, for tests that watch its memory (/proc/<pid>/status). */
    serverPid: number
  }
}

/**
 * One built server shared by every e2e file; each test signs in under its own names and rooms.
 * Its rate limits are off so tests can send in bursts; tests/e2e/limits.test.ts starts
 * servers with the real defaults.
 */
export default async function setup(project: TestProject) {
  const server = await startServer({ NUXT_LIMITS_MESSAGES_PER_SECOND: '0', NUXT_LIMITS_FRAMES_PER_SECOND: '0' })
  project.provide('baseURL', server.url)
  project.provide('serverPid', server.process.pid!)
  return () => server.stop()
}
