import type { AuditLogEntry } from '#shared/workspace-admin'
import { useBanter } from '../banter'

export const AUDIT_PAGE = 50
export const MAX_AUDIT_PAGE = 200

/** A page of the audit log, newest first, entries before the id `before` (the last id of the previous page). */
export async function readAuditLog(limit = AUDIT_PAGE, before?: string): Promise<{ entries: AuditLogEntry[], before: string | null }> {
  const { storage } = useBanter()
  const entries = await storage.listAudit(limit, before)
  const ids = new Set<string>()
  for (const entry of entries) {
    if (entry.actorId) ids.add(entry.actorId)
    if (entry.targetType === 'user') ids.add(entry.targetId)
  }
  const users = new Map((await storage.usersByIds([...ids])).map(user => [user.id, user]))
  return {
    entries: entries.map(entry => ({
      ...entry,
      actor: entry.actorId ? users.get(entry.actorId) ?? null : null,
      target: entry.targetType === 'user' ? users.get(entry.targetId) ?? null : null,
    })),
    // A full page may have more behind it; a short one is the end.
    before: entries.length === limit ? entries.at(-1)!.id : null,
  }
}
