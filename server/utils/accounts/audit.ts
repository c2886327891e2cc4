import { timeOrderedId } from '#shared/time-ordered-id'
import { useBanter } from '../banter'
import type { AccountStorage } from '../storage/account-types'
import { log } from '../log/logger'

/**
 * Writes one entry of the audit log (every moderation, membership and account action). A failure to write
 * it is logged and does not undo the action, which has already happened.
 */
export async function audit(actorId: string | null, action: string, targetType: string, targetId: string, details: Record<string, unknown> = {}): Promise<void> {
  await auditIn({ appendAudit: entry => useBanter().storage.appendAudit(entry) }, actorId, action, targetType, targetId, details)
}

/** `audit` into a given storage: for the chat's rules, which hold their storage (and run in unit tests without a server). */
export async function auditIn(storage: Pick<AccountStorage, 'appendAudit'>, actorId: string | null, action: string, targetType: string, targetId: string, details: Record<string, unknown> = {}): Promise<void> {
  const ts = Date.now()
  try {
    await storage.appendAudit({ id: timeOrderedId(ts), ts, actorId, action, targetType, targetId, details })
  }
  catch (error) {
    log.error('audit-write-failed', `could not write the audit entry ${action} ${targetType}:${targetId}`, { err: error })
  }
}
