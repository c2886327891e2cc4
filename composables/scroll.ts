/** The scroll metrics of a scrolling element. */
export type ScrollMetrics = Pick<HTMLElement, 'scrollTop' | 'scrollHeight' | 'clientHeight'>

/** How close to the bottom still counts as "reading the newest messages". */
export const NEAR_BOTTOM_PX = 120

/** Whether the view is at, or within `threshold` pixels of, the bottom. */
export function isNearBottom(element: ScrollMetrics, threshold = NEAR_BOTTOM_PX): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight <= threshold
}
