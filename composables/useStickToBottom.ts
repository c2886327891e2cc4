import { onMounted, ref, watch } from 'vue'
import type { Ref, WatchSource } from 'vue'
import { isNearBottom } from '~/utils/scroll'

/**
 * Keeps a scrolling list pinned to its newest item while the reader is at the bottom;
 * a reader who scrolled up to read older messages is left where they are.
 */
export function useStickToBottom(container: Ref<HTMLElement | null>, changes: WatchSource) {
  const atBottom = ref(true)

  function scrollToBottom(): void {
    const element = container.value
    if (element) element.scrollTop = element.scrollHeight
    atBottom.value = true
  }

  function onScroll(): void {
    if (container.value) atBottom.value = isNearBottom(container.value)
  }

  // 'post': the new message is in the DOM, so scrollHeight already includes it.
  watch(changes, () => {
    if (atBottom.value) scrollToBottom()
  }, { flush: 'post' })

  onMounted(scrollToBottom)

  return { atBottom, onScroll, scrollToBottom }
}
