import * as v from 'valibot'
import type { H3Event } from 'h3'
import { parseParam } from '../request-input'

const MemberIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(128))

/** The member id of `/api/workspace/members/:id…`, validated. */
export function memberParam(event: H3Event): string {
  return parseParam(MemberIdSchema, getRouterParam(event, 'id'), 'member id')
}
