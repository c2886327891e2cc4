import { nextTick, ref } from 'vue'

/**
 * The phone-width room drawer. Opening moves focus into it (it sits before its button in the DOM,
 * so Tab alone would not reach it); closing returns focus to the button that opened it.
 */
export function useSidebarDrawer(drawerId: string) {
  const open = ref(false)

  async function toggle(): Promise<void> {
    if (open.value) return close()
    open.value = true
    await nextTick()
    const drawer = document.getElementById(drawerId)
    const target = drawer?.querySelector<HTMLElement>('[aria-current="page"]') ?? drawer?.querySelector<HTMLElement>('a, button, input')
    target?.focus()
  }

  function close(): void {
    if (!open.value) return
    open.value = false
    document.querySelector<HTMLElement>(`[aria-controls="${drawerId}"]`)?.focus()
  }

  return { open, toggle, close }
}
