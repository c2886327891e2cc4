import { defineStore, skipHydrate } from 'pinia'
import { markRaw, ref, watch } from 'vue'
import type { ComposerUpload } from '~/composables/useComposerUploads'
import { loadDraftTexts, saveDraftText } from '~/utils/draft-persistence'
import { useConnectionStore } from './connection'
import { useSessionStore } from './session'

/** The draft of a room's composer. */
export const roomDraft = (room: string): string => `room:${room}`
/** The draft of a thread's composer: its own, so a reply typed in one thread never goes to another. */
export const threadDraft = (room: string, rootId: string): string => `thread:${room}:${rootId}`

/**
 * What each composer holds until it is sent, by draft (`roomDraft`, `threadDraft`): the text typed and the files
 * attached. Switching rooms or threads keeps a draft where it was written, uploads still on their way included, and
 * brings it back on return. The texts are kept per user in localStorage too, so a reload (or a tab opened later)
 * brings them back; files are not. Sign-out forgets both (uploads cancelled, utils/offline-data.ts clears the copy).
 */
export const useDraftsStore = defineStore('drafts', () => {
  const connection = useConnectionStore()
  const session = useSessionStore()
  const texts = ref<Record<string, string>>({})
  const uploads = ref<Record<string, ComposerUpload[]>>({})
  /** The requests of uploads on their way, by upload key: not state (never sent from the server, never made reactive). */
  const requests = markRaw(new Map<string, XMLHttpRequest>())

  function setText(draft: string, text: string): void {
    const { [draft]: _old, ...others } = texts.value
    texts.value = text === '' ? others : { ...others, [draft]: text }
    // Saved here rather than by a watch: a watch would run after a change of user and save over the new one's.
    if (session.user) saveDraftText(session.user.id, draft, text)
  }

  function setUploads(draft: string, list: ComposerUpload[]): void {
    const { [draft]: _old, ...others } = uploads.value
    uploads.value = list.length === 0 ? others : { ...others, [draft]: list }
  }

  function forgetAll(): void {
    for (const request of requests.values()) request.abort()
    requests.clear()
    texts.value = {}
    uploads.value = {}
  }

  connection.onDisconnect(forgetAll)
  // What this page has typed already wins over the kept copy of the same draft.
  watch(() => session.user?.id, (userId) => {
    if (userId) texts.value = { ...loadDraftTexts(userId), ...texts.value }
  }, { immediate: true })

  // Never taken from the server-rendered state (always empty there), as the outbox's.
  return { texts: skipHydrate(texts), uploads, requests, setText, setUploads, forgetAll }
})
