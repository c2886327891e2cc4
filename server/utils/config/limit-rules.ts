import type { ChatLimits } from '../chat/limits'

/** What a limit may be set to: a whole number of at least `min`, or 0 where 0 turns the limit off. */
export interface LimitRule {
  min: number
  /** 0 is allowed and means "no limit" (limits.ts says which). */
  zeroTurnsOff?: boolean
}

type LimitRules = Record<keyof ChatLimits, LimitRule>

/**
 * One line per limit in server/utils/chat/limits.ts: a new key there fails the typecheck until it has its rule.
 * The minimums keep a typo from taking the server down (a heartbeat of 0 dropped every socket, a cap of 0
 * refused everyone).
 */
export const LIMIT_RULES: LimitRules = {
  messagesPerSecond: { min: 1, zeroTurnsOff: true },
  messageBurst: { min: 1 },
  framesPerSecond: { min: 1, zeroTurnsOff: true },
  frameBurst: { min: 1 },
  abuseStrikes: { min: 1 },
  maxConnectionsPerUser: { min: 1 },
  maxRoomsPerConnection: { min: 1 },
  maxBufferedBytes: { min: 64 * 1024 },
  resumeLimit: { min: 1 },
  // Tests run a 200 ms heartbeat to see sessions end quickly; below 100 ms a pong cannot come back in time.
  heartbeatIntervalMs: { min: 100 },
  maxConnections: { min: 1 },
  signInsPerMinute: { min: 1, zeroTurnsOff: true },
  maxConnectionsPerAddress: { min: 1, zeroTurnsOff: true },
  maxRoomsPerUser: { min: 1, zeroTurnsOff: true },
  roomsPerHour: { min: 1, zeroTurnsOff: true },
  directMessagesPerHour: { min: 1, zeroTurnsOff: true },
  maxReactionsPerUserPerMessage: { min: 1, zeroTurnsOff: true },
  maxEmojiPerMessage: { min: 1, zeroTurnsOff: true },
  maxPinsPerRoom: { min: 1, zeroTurnsOff: true },
  maxUploadBytes: { min: 1024 },
  uploadsPerMinute: { min: 1, zeroTurnsOff: true },
  uploadsInFlight: { min: 1 },
  // 2 keeps direct messages' receipts; public rooms never send them, whatever this says.
  readReceiptsMaxMembers: { min: 2 },
  maxPushSubscriptionsPerUser: { min: 1 },
  maxAttachmentsPerMessage: { min: 1 },
  // Tests sweep uploads a minute old; below that a file could go before its message is sent.
  unattachedUploadMinutes: { min: 1 },
  requestBodySeconds: { min: 1 },
}

/** The words an operator reads in a refusal. */
export function describeLimitRule(rule: LimitRule): string {
  return rule.zeroTurnsOff
    ? `a whole number >= ${rule.min}, or 0 to turn the limit off`
    : `a whole number >= ${rule.min}`
}
