import { keptPerUser } from './kept-per-user'

type DraftTexts = Record<string, string>

const keptDrafts = keptPerUser<DraftTexts>('drafts', data => typeof data === 'object' && data !== null && !Array.isArray(data)
  ? Object.fromEntries(Object.entries(data).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''))
  : {}, texts => Object.keys(texts).length === 0, () => ({}))

export const DRAFTS_KEY_PREFIX = keptDrafts.prefix

/** The user's draft texts kept from an earlier page, by draft; {} when none or unreadable. */
export const loadDraftTexts = (userId: string): DraftTexts => keptDrafts.read(userId)

/**
 * Keeps one draft's text for a reload ('' forgets it). Only that draft changes in the kept copy: another tab's
 * drafts of other rooms stay.
 */
export function saveDraftText(userId: string, draft: string, text: string): void {
  const { [draft]: _old, ...others } = loadDraftTexts(userId)
  keptDrafts.write(userId, text === '' ? others : { ...others, [draft]: text })
}
