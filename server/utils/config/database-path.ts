import { basename, dirname, isAbsolute, resolve } from 'node:path'

/**
 * The app directory of a built server: the folder holding `.output` (`/srv/banter` for
 * `/srv/banter/.output/server/index.mjs`), or the entry's own folder when it was moved out of one.
 */
export function appDirectory(entry: string): string {
  for (let dir = dirname(resolve(entry)); dir !== dirname(dir); dir = dirname(dir)) {
    if (basename(dir) === '.output') return dirname(dir)
  }
  return dirname(resolve(entry))
}

/**
 * Where the SQLite file is. A relative NUXT_DATABASE_PATH is taken from the app directory, not the working
 * directory: a service manager starting banter from `/` must not write `/.data/`, and a start from another
 * folder must not open an empty database. `nuxt dev` runs in the project, so there it is the project folder.
 */
export function resolveDatabasePath(path: string, base: string): string {
  if (path === ':memory:' || isAbsolute(path)) return path
  return resolve(base, path)
}
