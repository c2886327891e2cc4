import { computed, ref, watch } from 'vue'
import type { Ref } from 'vue'
import type { ChatMessage } from '#shared/protocol'
import { lastSeqOf } from '~/utils/timeline'

/**
 * Counts the messages that arrived below the view since the reader scrolled away from the bottom,
 * for the "jump to latest" button. Older pages loaded above never count: only seqs past the newest
 * message at the moment the reader left.
 */
export function useNewMessagesBelow(atBottom: Ref<boolean>, messages: () => readonly ChatMessage[]) {
  const newestSeen = ref(lastSeqOf(messages()))

  watch(atBottom, (value) => {
    if (!value) newestSeen.value = lastSeqOf(messages())
  })

  const count = computed(() => {
    if (atBottom.value) return 0
    const list = messages()
    let below = 0
    // Newest last: walk back only as far as the arrivals.
    for (let index = list.length - 1; index >= 0 && list[index]!.seq > newestSeen.value; index--) below++
    return below
  })

  return { count }
}
