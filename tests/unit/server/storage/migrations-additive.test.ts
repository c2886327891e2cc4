import { describe, expect, it } from 'vitest'
import { POSTGRES_MIGRATIONS } from '#server/utils/storage/postgres-migrations'
import { SQLITE_MIGRATIONS } from '#server/utils/storage/sqlite-migrations'

/**
 * Rolling upgrades (docs/operations.md) rest on this: while old and new instances share a database, every step
 * only adds, so nothing an older instance reads or writes goes away. Removing or renaming takes two releases.
 */
const FORBIDDEN: [RegExp, string][] = [
  [/\bDROP\s+(TABLE|COLUMN|VIEW)\b/i, 'drops something an older instance may still use'],
  [/\bRENAME\b/i, 'renames something an older instance may still use'],
  [/\bALTER\s+COLUMN\b[^;]*\bTYPE\b/i, 'changes a column type under an older instance'],
  [/\bADD\s+COLUMN\s+\w+\s+[^,;]*\bNOT\s+NULL\b(?![^,;]*\bDEFAULT\b)/i, 'adds a NOT NULL column without a default: an older instance\'s inserts would fail'],
]

/**
 * Steps from before this rule, each with why it was safe. SQLite 4 rebuilt `messages` to reorder a constraint:
 * the same columns came back, and SQLite deployments run one instance.
 */
const EXEMPT: Record<string, number[]> = { SQLite: [4], PostgreSQL: [] }

/** SQL without its comments, so a word in a comment is not read as a statement. */
const withoutComments = (sql: string) => sql.replace(/--[^\n]*/g, '')

describe.each([['SQLite', SQLITE_MIGRATIONS], ['PostgreSQL', POSTGRES_MIGRATIONS]] as const)('%s migrations', (name, migrations) => {
  it('only add: no drop, rename, type change or NOT NULL column without a default', () => {
    const problems = migrations.flatMap((sql, index) => EXEMPT[name]!.includes(index)
      ? []
      : FORBIDDEN.filter(([pattern]) => pattern.test(withoutComments(sql))).map(([, why]) => `step ${index} ${why}`))
    expect(problems).toEqual([])
  })

  it('the rule catches what it forbids', () => {
    const caught = (sql: string) => FORBIDDEN.some(([pattern]) => pattern.test(sql))
    expect(caught('ALTER TABLE messages DROP COLUMN text;')).toBe(true)
    expect(caught('ALTER TABLE messages RENAME COLUMN text TO body;')).toBe(true)
    expect(caught('ALTER TABLE rooms ADD COLUMN owner TEXT NOT NULL;')).toBe(true)
    expect(caught('ALTER TABLE messages ALTER COLUMN ts TYPE TEXT;')).toBe(true)
    expect(caught('ALTER TABLE rooms ADD COLUMN slow_mode_seconds INTEGER NOT NULL DEFAULT 0;')).toBe(false)
    expect(caught('CREATE TABLE files (id TEXT PRIMARY KEY, size INTEGER NOT NULL);')).toBe(false)
  })
})
