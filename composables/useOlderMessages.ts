import { computed, nextTick, onMounted, ref } from 'vue'
import type { Ref } from 'vue'
import { useMessagesStore } from '~/stores/messages'
import { isNearTop } from '~/utils/scroll'

/**
 * Infinite scroll upwards: pages in older history while the reader is near the top of `container`,
 * keeping the message they were reading at the same place on screen.
 * `container` needs `overflow-anchor: none`, or the browser's own scroll anchoring would correct twice.
 */
export function useOlderMessages(container: Ref<HTMLElement | null>, room: string) {
  const messages = useMessagesStore()
  const loading = ref(false)
  const hasOlder = computed(() => messages.hasOlder(room))

  /** Loads page after page while the top stays in reach: one page may not fill a tall view. */
  async function loadWhileNearTop(): Promise<void> {
    if (loading.value) return
    loading.value = true
    try {
      while (container.value && isNearTop(container.value) && messages.hasOlder(room)) {
        const restore = keepPosition(container.value)
        const arrived = await messages.loadOlder(room)
        await nextTick()
        restore()
        if (!arrived) break
      }
    }
    catch (error) {
      // Scrolling near the top again retries.
      console.warn(`[banter] could not load older messages in ${room}`, error)
    }
    finally {
      loading.value = false
    }
  }

  onMounted(loadWhileNearTop)

  return { loading, hasOlder, loadWhileNearTop }
}

/**
 * Remembers where the topmost visible message sits; the returned function scrolls so it sits there again.
 * A message, not scrollHeight: a live message appended meanwhile, or a group header moving when the
 * older page joins the first group, would throw a height difference off.
 */
function keepPosition(container: HTMLElement): () => void {
  const top = container.getBoundingClientRect().top
  const anchor = [...container.querySelectorAll<HTMLElement>('[data-seq]')]
    .find(element => element.getBoundingClientRect().bottom > top)
  if (!anchor) return () => {}
  const seq = anchor.dataset.seq!
  const before = anchor.getBoundingClientRect().top
  return () => {
    // Looked up again: the page may have re-rendered the message's group.
    const after = container.querySelector(`[data-seq="${seq}"]`)?.getBoundingClientRect().top
    if (after !== undefined) container.scrollTop += after - before
  }
}
