/**
 * Everything a client may consume, in one place. Each is set in nuxt.config.ts and overridable by env; the
 * start-up check (server/utils/config/limit-rules.ts, one line per limit) says what each may be set to.
 */
export interface ChatLimits {
  /** Chat messages per second per connection, after a burst of `messageBurst`; 0 turns the limit off. */
  messagesPerSecond: number
  messageBurst: number
  /** Frames of any kind per second per connection, after a burst of `frameBurst`; 0 turns the limit off. */
  framesPerSecond: number
  frameBurst: number
  /** Refused frames a connection may send in a burst (refilled at one per second) before it is closed with 1008. */
  abuseStrikes: number
  maxConnectionsPerUser: number
  maxRoomsPerConnection: number
  /** A connection with more than this waiting in its socket buffer is too slow to keep: closed with 1013. */
  maxBufferedBytes: number
  /** Most missed messages a `join {after}` replays; past it the client reloads the room over REST. */
  resumeLimit: number
  /** How often the server pings every connection; a connection that misses one pong is dropped. */
  heartbeatIntervalMs: number
  /** Sockets open on one instance, all users together: kept well below the process's open-file limit. */
  maxConnections: number
  /** Sign-ins and sign-ups (guest, password) per client address, per minute. */
  signInsPerMinute: number
  /** Sockets open from one client address on one instance (an office behind one NAT shares it). */
  maxConnectionsPerAddress: number
  /** Public and private rooms one user may have created; workspace admins and the owner are not capped. */
  maxRoomsPerUser: number
  /** Rooms (public or private) one user may create per hour, after a burst of as many; per client address four times as many. */
  roomsPerHour: number
  /** New direct conversations one user may open per hour (opening an existing one is free). */
  directMessagesPerHour: number
  /** Different emoji one user may put on one message. */
  maxReactionsPerUserPerMessage: number
  /** Different emoji on one message, everyone's together. */
  maxEmojiPerMessage: number
  /** Pinned messages in one room. */
  maxPinsPerRoom: number
  /** Bytes of one uploaded file; the upload stops reading past it (413 file_too_large). */
  maxUploadBytes: number
  /** Files one user may upload per minute, after a burst of as many; 0 turns the limit off. */
  uploadsPerMinute: number
  /**
   * Uploads one instance reads at once, all users together (each is held in memory up to `maxUploadBytes`); one
   * user may have at most a quarter of them (at least 1) on their way at once.
   */
  uploadsInFlight: number
  /** The most members a private room (or direct message) may have for its members to see each other's read receipts. */
  readReceiptsMaxMembers: number
  /** Devices (browsers) one user may have subscribed to Web Push. */
  maxPushSubscriptionsPerUser: number
  /** Attachments one message may carry (never more than the protocol's MAX_ATTACHMENT_IDS). */
  maxAttachmentsPerMessage: number
  /** Minutes an upload may stay unattached to any message before the sweep deletes it. */
  unattachedUploadMinutes: number
  /**
   * Seconds a REST request's JSON body (at most 64 KiB) may take to arrive once its headers have: a client
   * trickling bodies must not hold the bodies' budget (request-guard.ts) for minutes.
   */
  requestBodySeconds: number
}

export const DEFAULT_LIMITS: ChatLimits = {
  messagesPerSecond: 5,
  messageBurst: 20,
  framesPerSecond: 50,
  frameBurst: 200,
  abuseStrikes: 50,
  maxConnectionsPerUser: 10,
  maxRoomsPerConnection: 50,
  maxBufferedBytes: 1024 * 1024,
  resumeLimit: 500,
  heartbeatIntervalMs: 25_000,
  maxConnections: 10_000,
  signInsPerMinute: 20,
  maxConnectionsPerAddress: 256,
  maxRoomsPerUser: 100,
  roomsPerHour: 30,
  directMessagesPerHour: 60,
  maxReactionsPerUserPerMessage: 20,
  maxEmojiPerMessage: 50,
  maxPinsPerRoom: 50,
  maxUploadBytes: 10 * 1024 * 1024,
  uploadsPerMinute: 30,
  uploadsInFlight: 16,
  readReceiptsMaxMembers: 20,
  maxPushSubscriptionsPerUser: 10,
  maxAttachmentsPerMessage: 10,
  unattachedUploadMinutes: 60,
  requestBodySeconds: 10,
}
