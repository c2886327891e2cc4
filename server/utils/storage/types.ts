import type { Attachment, ChatMessage, Quote, Room, User } from '#shared/protocol'
import type { RoomRole } from '#shared/room-settings'
import type { AccountStorage } from './account-types'
import type { PasskeyStorage } from './passkey-types'
import type { NotificationStorage } from './notification-types'
import type { ReceiptStorage } from './receipt-types'
import type { InviteStorage } from './invite-types'
import type { SearchStorage } from './search-types'
import type { ThreadStorage } from './thread-types'
import type { ThreadFollowStorage } from './thread-follow-types'
import type { MentionStorage } from './mention-types'
import type { UnreadStartStorage } from './unread-start-types'
import type { PushSubscriptionStorage } from './push-subscription-types'

/** A message to store; the storage assigns `id`, `seq` and `ts`. */
export interface NewMessage {
  room: string
  user: User
  text: string
  clientId: string
  /** The quoted message (the caller found it in the same room); its id is stored, the quote answered as given. */
  replyTo?: Quote
  /** A thread reply: the root message's id (of the same room). */
  threadId?: string
  /** A thread reply shown in the room's timeline too. */
  alsoToRoom?: boolean
  /** The files it carries (the caller checked each is the sender's own, unattached upload to this room). */
  attachments?: Attachment[]
}

/** What `appendMessage` did: stored a new message, or found the earlier one with the same (user, clientId). */
export interface AppendResult {
  message: ChatMessage
  duplicate: boolean
}

/** What a change to an existing message did. */
export type MessageChange = { ok: true, message: ChatMessage } | { ok: false, reason: 'not_found' | 'not_owner' | 'deleted' | 'reaction_limit' | 'pin_limit' }

/** The rules of one pin or unpin: the room's most pins (0: no cap), and who alone may unpin (undefined: anyone). */
export interface PinChange {
  maxPins: number
  /** A user id: the unpin is refused ('not_owner') unless this user pinned the message. */
  onlyPinner?: string
}

/** How many different emoji one user may put on a message, and how many it may carry in all (0: no cap). */
export interface ReactionCaps {
  perUser: number
  perMessage: number
}

/** What makes a room other than public: its kind, and the only users who may see and join it. */
export interface RoomAccess {
  kind: NonNullable<Room['kind']>
  /** User ids; repeats are stored once. */
  memberIds: string[]
}

/** Where a user has read a room up to. */
export interface ReadMarker {
  userId: string
  room: string
  seq: number
}

/** A member's role in a private room: its owners manage its members and moderate it. */
export type { RoomRole }

/** One member of a non-public room and their role there. */
export interface RoomMembership {
  userId: string
  role: RoomRole
}

/** What a room's moderators may change about it; an absent field is left as it is. */
export interface RoomChanges {
  /** null or '' clears the topic. */
  topic?: string | null
  /** 0 turns slow mode off. */
  slowModeSeconds?: number
}

/** The rooms part of `ChatStorage`, which each database implements in a file of its own. */
export type RoomStorage = Pick<ChatStorage, 'listRooms' | 'getRoom' | 'createRoom' | 'listRoomsFor' | 'canAccess' | 'roomMembers'
  | 'roomStanding' | 'roomMemberships' | 'updateRoom' | 'addMember' | 'removeMember' | 'latestMessageBy' | 'roomsCreatedBy'>

/** Everything banter keeps between restarts. Async so a networked database can stand behind it. */
export interface ChatStorage extends AccountStorage, PasskeyStorage, InviteStorage, SearchStorage, ThreadStorage, ThreadFollowStorage, MentionStorage, UnreadStartStorage, NotificationStorage, ReceiptStorage, PushSubscriptionStorage {
  /** Every room, public or not, by name: for server internals, never shown to a user as is. */
  listRooms(): Promise<Room[]>
  /** The room, with `kind` when it is not public. */
  getRoom(name: string): Promise<Room | null>
  /**
   * Creates a room, public without `access`, else with its kind and members in one transaction; null when the
   * name is taken, or (but for a direct message) a look-alike of it: another room, of any kind but a direct message,
   * has the same `roomNameKey` (server/utils/chat/room-names.ts). `createdBy` is the creator's user id: they own a public or private room (not a direct message).
   */
  createRoom(name: string, createdBy: string | null, access?: RoomAccess): Promise<Room | null>
  /** How many public and private rooms (not direct messages) the user created. */
  roomsCreatedBy(userId: string): Promise<number>
  /** Public rooms plus the non-public rooms the user is a member of, by name. */
  listRoomsFor(userId: string): Promise<Room[]>
  /** True for an existing public room, or a member of a non-public one; false for an unknown room. */
  canAccess(room: string, userId: string): Promise<boolean>
  /** Member user ids of a non-public room, sorted; empty for a public or unknown room. */
  roomMembers(room: string): Promise<string[]>
  /** Members of a non-public room with their roles, sorted by user id; empty for a public or unknown room. */
  roomMemberships(room: string): Promise<RoomMembership[]>
  /**
   * The user's role in the room: a non-public room's member row, or 'owner' of a public room they created;
   * null for anyone else and for an unknown room.
   */
  roomStanding(room: string, userId: string): Promise<RoomRole | null>
  /** Changes a room's topic or slow mode; answers the changed room, or null for an unknown room. */
  updateRoom(name: string, changes: RoomChanges): Promise<Room | null>
  /**
   * Adds the user to a non-public room as a member, or with `role` also sets the role of one already in it;
   * true when anything changed, false otherwise (already there, or a public or unknown room).
   */
  addMember(room: string, userId: string, role?: RoomRole): Promise<boolean>
  /** Takes the user out of a non-public room; true when they were in it. */
  removeMember(room: string, userId: string): Promise<boolean>
  /**
   * The user's newest message among the room's `lookBack` newest messages (slow mode looks no further back),
   * or null when there is none there.
   */
  latestMessageBy(room: string, userId: string, lookBack: number): Promise<{ ts: number, clientId: string } | null>
  /** Stores a message with the room's next `seq`, or returns the one stored earlier for the same (user, clientId). */
  appendMessage(message: NewMessage): Promise<AppendResult>
  /** Messages with seq < before (newest `limit`), ascending. */
  messagesBefore(room: string, before: number, limit: number): Promise<ChatMessage[]>
  /** Messages with seq > after (oldest `limit`), ascending. */
  messagesAfter(room: string, after: number, limit: number): Promise<ChatMessage[]>
  lastSeq(room: string): Promise<number>
  /** Replaces the text of the user's own message (not deleted) and stamps editedAt = now. */
  editMessage(room: string, id: string, userId: string, text: string, now: number): Promise<MessageChange>
  /**
   * Deletes the user's own message: text '', deletedAt = now, reactions removed; deleting twice answers 'deleted'.
   * `asModerator` (the caller checked the policy) deletes anyone's, marked as removed by a moderator.
   */
  deleteMessage(room: string, id: string, userId: string, now: number, asModerator?: boolean): Promise<MessageChange>
  /**
   * Adds the user's reaction with this emoji, or removes it if present (any user may react; not on a deleted
   * message). Adding past a cap is refused as 'reaction_limit'; removing never is.
   */
  toggleReaction(room: string, id: string, userId: string, emoji: string, caps: ReactionCaps): Promise<MessageChange>
  /**
   * Pins the message for the room (`pinnedAt`, `pinnedBy`), or unpins it; pinning a pinned message keeps the
   * first pin. Refused for a deleted message, past the room's pin cap ('pin_limit') and, with `onlyPinner`, for
   * anyone else's unpin. Deleting a message unpins it.
   */
  setPinned(room: string, id: string, userId: string, pin: boolean, now: number, change: PinChange): Promise<MessageChange>
  /** The room's pinned messages, newest pin first, deleted ones left out. */
  pinnedMessages(room: string): Promise<ChatMessage[]>
  /**
   * Raises each user's read marker in each room to `seq` (never lowers it; clamped to 0..the room's last seq),
   * all in one write; answers the stored markers in the same order. Throws `Unknown room: <name>` when a room
   * does not exist.
   */
  setReadSeqs(markers: readonly ReadMarker[]): Promise<number[]>
  /** The user's read marker in every room where they have one, by room name. */
  readSeqs(userId: string): Promise<Record<string, number>>
  /** Every room's last seq, by room name, so unread counts need one query. */
  roomSeqs(): Promise<Record<string, number>>
  /**
   * Retention: deletes every message stored before `cutoff` (epoch ms) with its reactions, `batchSize` at most
   * per write transaction, and answers how many went. Seqs are not reused (rooms keep their last seq). Safe to
   * run on several instances at once.
   */
  deleteMessagesBefore(cutoff: number, batchSize: number): Promise<number>
  ping(): Promise<boolean>
  close(): Promise<void>
}
