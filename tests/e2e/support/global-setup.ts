import type { TestProject } from 'vitest/node'
import { startServer } from '../../support/server'

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string
    /** The server's process id, for tests that watch its memory (/proc/<pid>/status). */
    serverPid: number
  }
}

/** One built server shared by every e2e file; each test signs in under its own names and rooms. */
export default async function setup(project: TestProject) {
  const server = await startServer()
  project.provide('baseURL', server.url)
  project.provide('serverPid', server.process.pid!)
  return () => server.stop()
}
