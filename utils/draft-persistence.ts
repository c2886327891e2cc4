/** Per user, so a browser shared by two people never shows one's unsent words to the other. */
export const DRAFTS_KEY_PREFIX = 'banter:drafts:'
const keyOf = (userId: string) => `${DRAFTS_KEY_PREFIX}${userId}`

/** The user's draft texts kept from an earlier page, by draft; {} when none or unreadable. */
export function loadDraftTexts(userId: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(keyOf(userId)) ?? '{}')
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
    return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''))
  }
  catch {
    return {}
  }
}

/**
 * Keeps one draft's text for a reload ('' forgets it). Only that draft changes in the kept copy: another tab's
 * drafts of other rooms stay.
 */
export function saveDraftText(userId: string, draft: string, text: string): void {
  try {
    const { [draft]: _old, ...others } = loadDraftTexts(userId)
    const texts = text === '' ? others : { ...others, [draft]: text }
    if (Object.keys(texts).length === 0) localStorage.removeItem(keyOf(userId))
    else localStorage.setItem(keyOf(userId), JSON.stringify(texts))
  }
  catch {
    // Not kept: the draft stays while this page is open.
  }
}
