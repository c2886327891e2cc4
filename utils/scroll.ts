/** The scroll metrics of a scrolling element. */
export type ScrollMetrics = Pick<HTMLElement, 'scrollTop' | 'scrollHeight' | 'clientHeight'>

/** How close to the bottom still counts as "reading the newest messages". */
export const NEAR_BOTTOM_PX = 120

/** Whether the view is at, or within `threshold` pixels of, the bottom. */
export function isNearBottom(element: ScrollMetrics, threshold = NEAR_BOTTOM_PX): boolean {
  return element.scrollHeight - element.scrollTop - element.clientHeight <= threshold
}

/** How close to the top starts loading older messages: early enough that the reader rarely waits at the edge. */
export const NEAR_TOP_PX = 300

/** Whether the view is at, or within `threshold` pixels of, the top. */
export function isNearTop(element: Pick<HTMLElement, 'scrollTop'>, threshold = NEAR_TOP_PX): boolean {
  return element.scrollTop <= threshold
}
