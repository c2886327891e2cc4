import type { BanterConfig } from './schema'
import { checkConfig, formatProblems } from './schema'
import { appDirectory, resolveDatabasePath } from './database-path'

let current: BanterConfig | null = null

/**
 * Checks the configuration once, before anything opens. A bad or contradictory value stops the process
 * with exit code 1 and one line naming the variable, its value and what is allowed: an instance that
 * listens and answers 500 (or signs everyone in with a broken cookie) is worse than one that does not start.
 */
export function loadConfig(): BanterConfig {
  if (current) return current
  const production = !import.meta.dev
  const result = checkConfig({ runtime: useRuntimeConfig() as unknown as Record<string, unknown>, env: process.env }, production)
  if (!result.ok) {
    process.stderr.write(`${formatProblems(result.problems)}\n`)
    process.exit(1)
  }
  const base = production && process.argv[1] ? appDirectory(process.argv[1]) : process.cwd()
  current = {
    ...result.config,
    databasePath: resolveDatabasePath(result.config.databasePath, base),
    filesDir: resolveDatabasePath(result.config.filesDir, base),
  }
  return current
}

/** The checked configuration (server/plugins/banter.ts loads it first thing). */
export function useConfig(): BanterConfig {
  return current ?? loadConfig()
}
