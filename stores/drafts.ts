import { defineStore } from 'pinia'
import { markRaw, ref } from 'vue'
import type { ComposerUpload } from '~/composables/useComposerUploads'
import { useConnectionStore } from './connection'

/** The draft of a room's composer. */
export const roomDraft = (room: string): string => `room:${room}`
/** The draft of a thread's composer: its own, so a reply typed in one thread never goes to another. */
export const threadDraft = (room: string, rootId: string): string => `thread:${room}:${rootId}`

/**
 * What each composer holds until it is sent, by draft (`roomDraft`, `threadDraft`): the text typed and the files
 * attached. Switching rooms or threads keeps a draft where it was written, uploads still on their way included, and
 * brings it back on return. Kept for this tab only, and forgotten (uploads cancelled) on sign-out.
 */
export const useDraftsStore = defineStore('drafts', () => {
  const connection = useConnectionStore()
  const texts = ref<Record<string, string>>({})
  const uploads = ref<Record<string, ComposerUpload[]>>({})
  /** The requests of uploads on their way, by upload key: not state (never sent from the server, never made reactive). */
  const requests = markRaw(new Map<string, XMLHttpRequest>())

  function setText(draft: string, text: string): void {
    const { [draft]: _old, ...others } = texts.value
    texts.value = text === '' ? others : { ...others, [draft]: text }
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

  return { texts, uploads, requests, setText, setUploads, forgetAll }
})
