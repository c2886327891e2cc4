import type { Hub } from './hub'

/** How many sockets a user holds across every instance, for the per-user connection cap. */
export interface ConnectionCounter {
  count(userId: string): Promise<number>
  opened(userId: string): void
  closed(userId: string): void
  close(): Promise<void>
}

/** One process: the hub already knows. */
export function createLocalConnectionCounter(hub: Hub): ConnectionCounter {
  return {
    count: async userId => hub.connectionCount(userId),
    opened: () => {},
    closed: () => {},
    close: async () => {},
  }
}
