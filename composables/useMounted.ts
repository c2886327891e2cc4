import { onMounted, ref } from 'vue'
import type { Ref } from 'vue'

/**
 * True once the component is mounted in the browser. Forms use it to stay disabled until hydrated:
 * a click before that would submit natively, as a GET that puts the input in the URL.
 */
export function useMounted(): Ref<boolean> {
  const mounted = ref(false)
  onMounted(() => (mounted.value = true))
  return mounted
}
