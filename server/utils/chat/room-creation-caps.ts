import type { WorkspaceRole } from '#shared/protocol'
import type { ChatStorage } from '../storage/types'
import { ChatError } from './chat-error'
import type { ChatLimits } from './limits'
import type { SharedRates, SharedRatesFactory } from '../rates/shared-rates'

/** Who is creating a room, as the caps see them. */
export interface RoomCreator {
  userId: string
  role: WorkspaceRole
  /** The client address (server/utils/session/client-address.ts): many guests from one place share its rate. */
  address: string
}

const HOUR_SECONDS = 3600
/** One address may create this many times a user's rooms per hour: a few people behind one NAT are not slowed. */
const ADDRESS_FACTOR = 4

/**
 * What stops one client from filling the room list: rooms and private rooms per user per hour (and per client
 * address), at most `maxRoomsPerUser` of them in all, and new direct conversations per user per hour.
 * Workspace admins and the owner set a workspace up: they are not capped. A 0 turns a cap off.
 * The rates hold for the deployment (shared through Redis when instances share it); the total is read from storage.
 */
export class RoomCreationCaps {
  private readonly roomRates: SharedRates
  private readonly addressRates: SharedRates
  private readonly directMessageRates: SharedRates

  constructor(private readonly storage: ChatStorage, private readonly limits: ChatLimits, rates: SharedRatesFactory) {
    const { roomsPerHour, directMessagesPerHour } = limits
    this.roomRates = rates('rooms-per-user', roomsPerHour, roomsPerHour / HOUR_SECONDS)
    this.addressRates = rates('rooms-per-address', roomsPerHour * ADDRESS_FACTOR, (roomsPerHour * ADDRESS_FACTOR) / HOUR_SECONDS)
    this.directMessageRates = rates('direct-messages', directMessagesPerHour, directMessagesPerHour / HOUR_SECONDS)
  }

  /** Refuses a room the creator may not make now: `rate_limited` (with when to retry) or `room_limit`. */
  async requireRoomAllowed(creator: RoomCreator): Promise<void> {
    if (isExempt(creator)) return
    const { maxRoomsPerUser } = this.limits
    if (maxRoomsPerUser > 0 && await this.storage.roomsCreatedBy(creator.userId) >= maxRoomsPerUser) {
      throw new ChatError('room_limit')
    }
    refuseIfWaiting(await this.addressRates.take(creator.address) || await this.roomRates.take(creator.userId))
  }

  /** Refuses opening one more new direct conversation too soon: `rate_limited`. */
  async requireDirectMessageAllowed(creator: RoomCreator): Promise<void> {
    if (isExempt(creator)) return
    refuseIfWaiting(await this.directMessageRates.take(creator.userId))
  }
}

function isExempt(creator: RoomCreator): boolean {
  return creator.role === 'owner' || creator.role === 'admin'
}

function refuseIfWaiting(waitMs: number): void {
  if (waitMs > 0) throw new ChatError('rate_limited', undefined, waitMs)
}
