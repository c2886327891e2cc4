import { onBeforeUnmount, onMounted, ref } from 'vue'
import type { Ref } from 'vue'

/**
 * The current time, refreshed every `intervalMs`. It is `null` on the server and until the component
 * mounts, so server and client render the same first frame (no hydration mismatch from clocks or time zones).
 */
export function useNow(intervalMs: number): Ref<number | null> {
  const now = ref<number | null>(null)
  let timer: ReturnType<typeof setInterval> | undefined
  onMounted(() => {
    now.value = Date.now()
    timer = setInterval(() => (now.value = Date.now()), intervalMs)
  })
  onBeforeUnmount(() => clearInterval(timer))
  return now
}
