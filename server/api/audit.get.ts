import * as v from 'valibot'
import { requireMay } from '#server/utils/accounts/policy'
import { AUDIT_PAGE, MAX_AUDIT_PAGE, readAuditLog } from '#server/utils/accounts/audit-log'

const AuditQuerySchema = v.object({
  before: v.optional(v.pipe(v.string(), v.maxLength(64))),
  limit: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1), v.maxValue(MAX_AUDIT_PAGE)), String(AUDIT_PAGE)),
})

/** The audit log, newest first, a page at a time (`before` = the answer's `before`), with names resolved. */
export default defineChatHandler(async (event) => {
  const { account } = await requireChatSession(event)
  requireMay(account, 'audit.read')
  const query = parseParam(AuditQuerySchema, getQuery(event), 'query')
  return await readAuditLog(query.limit, query.before)
})
