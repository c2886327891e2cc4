import type { TestProject } from 'vitest/node'
import { startServer } from '../../support/server'

declare module 'vitest' {
  export interface ProvidedContext {
    baseURL: string
  }
}

/** One built server shared by every e2e file; each test signs in under its own names and rooms. */
export default async function setup(project: TestProject) {
  const server = await startServer()
  project.provide('baseURL', server.url)
  return () => server.stop()
}
