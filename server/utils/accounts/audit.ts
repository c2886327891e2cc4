import { timeOrderedId } from '#shared/time-ordered-id'
import { useBanter } from '../banter'

/**
 * Writes one entry of the audit log (every moderation, membership and account action). A failure to write
 * it is logged and does not undo the action, which has already happened.
 */
export async function audit(actorId: string | null, action: string, targetType: string, targetId: string, details: Record<string, unknown> = {}): Promise<void> {
  const ts = Date.now()
  try {
    await useBanter().storage.appendAudit({ id: timeOrderedId(ts), ts, actorId, action, targetType, targetId, details })
  }
  catch (error) {
    console.error(`[banter] could not write the audit entry ${action} ${targetType}:${targetId}`, error)
  }
}
