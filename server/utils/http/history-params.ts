import * as v from 'valibot'
import { MAX_HISTORY_LIMIT } from '#shared/protocol-limits'

/** A seq in a history query (`before`, `after`, `around`). */
export const SeqParamSchema = v.pipe(v.string(), v.regex(/^\d{1,15}$/, 'expected a non-negative integer'), v.transform(Number))

/** A history page's `limit`: 1 to MAX_HISTORY_LIMIT. */
export const LimitParamSchema = v.pipe(
  v.string(),
  v.regex(/^\d{1,4}$/, 'expected a positive integer'),
  v.transform(Number),
  v.minValue(1, 'expected at least 1'),
  v.maxValue(MAX_HISTORY_LIMIT, `at most ${MAX_HISTORY_LIMIT}`),
)
