import { KeyedRates } from '../chat/user-rates'

/**
 * A rate per key (a user, a client address) that holds for the whole deployment: `take` answers 0 when the key
 * may act now, else the milliseconds until it may. For what is rare and worth a round trip to Redis (sign-ins,
 * uploads, rooms created); the chat and request rates, taken for every frame, stay with each instance.
 */
export interface SharedRates {
  take(key: string): Promise<number>
}

/** Makes the rates of one limit, named for its keys in Redis: `burst` at once, refilled at `perSecond` (0 lifts it). */
export type SharedRatesFactory = (name: string, burst: number, perSecond: number) => SharedRates

/** One instance alone (no Redis): this process's token buckets. */
export const localRates: SharedRatesFactory = (_name, burst, perSecond) => {
  const rates = new KeyedRates(burst, perSecond)
  return { take: async key => rates.take(key) }
}
