// Core 0 runs the server under test, core 1 the load clients and the orchestrator (when taskset exists).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const HAS_TASKSET = ['/usr/bin/taskset', '/bin/taskset'].some(path => existsSync(path))

/** The command and arguments that run `command` pinned to `core`. */
export function pinned(core, command, args) {
  return HAS_TASKSET ? ['taskset', ['-c', String(core), command, ...args]] : [command, args]
}

/** Pins the current process (the orchestrator) to `core`, so it stays off the server's core. */
export function pinSelf(core) {
  if (HAS_TASKSET) execFileSync('taskset', ['-pc', String(core), String(process.pid)], { stdio: 'ignore' })
}
