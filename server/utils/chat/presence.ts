import { randomUUID } from 'node:crypto'
import type { PresenceEntry, User } from '#shared/protocol'
import type { Hub } from './hub'

type LocalState = 'online' | 'away'
type State = LocalState | 'offline'

/** What one instance says about one user in one room. */
export interface PresenceAnnouncement {
  kind: 'presence'
  instance: string
  room: string
  user: User
  state: State
  at: number
}

interface Entry {
  user: User
  state: LocalState
  at: number
}

/**
 * Who is in each room, across instances. Each instance works out its own connections' state per
 * user and room (online if one of the user's tabs present there is visible, away if all are hidden;
 * following connections do not count) and shares changes with the other instances (through the bus:
 * fan-out/scale-out.ts); every instance merges the announcements and tells its local members when a
 * user's overall state changes. Announcements are repeated every heartbeat and those not repeated for
 * `ttlMs` are dropped, so a dead instance's users go offline by themselves.
 */
export class PresenceTracker {
  readonly instance = randomUUID()
  /** room → user id → instance → what that instance last said. */
  private readonly view = new Map<string, Map<string, Map<string, Entry>>>()
  /** room → user id → what this instance last announced. */
  private readonly announced = new Map<string, Map<string, Entry>>()

  constructor(
    private readonly hub: Hub,
    /** Tells the other instances; they answer through `apply`. */
    private readonly share: (announcement: PresenceAnnouncement) => void,
    private readonly ttlMs: number,
  ) {}

  /** Recomputes `user`'s state in `room` from this instance's connections and announces a change. */
  update(room: string, user: User): void {
    const state = this.localState(room, user.id)
    const previous = this.announced.get(room)?.get(user.id)?.state ?? 'offline'
    if (state === previous) return
    const now = Date.now()
    if (state === 'offline') deleteFrom(this.announced, room, user.id)
    else setIn(this.announced, room, user.id, { user, state, at: now })
    // Applied here at once (a snapshot sent right after must include it); the bus echo of our own
    // announcements is ignored, so a late echo can never undo a newer local change.
    const announcement: PresenceAnnouncement = { kind: 'presence', instance: this.instance, room, user, state, at: now }
    this.apply(announcement)
    this.share(announcement)
  }

  /** Merges an instance's announcement and tells the room when the user's overall state changed. */
  apply(announcement: PresenceAnnouncement): void {
    const { room, user, instance, state, at } = announcement
    const before = this.stateOf(room, user.id)
    const byInstance = this.view.get(room)?.get(user.id) ?? new Map<string, Entry>()
    if (state === 'offline') byInstance.delete(instance)
    else byInstance.set(instance, { user, state, at })
    if (byInstance.size > 0) setIn(this.view, room, user.id, byInstance)
    else deleteFrom(this.view, room, user.id)
    const after = this.stateOf(room, user.id)
    if (before !== after) this.hub.toRoom(room, { type: 'presence', room, snapshot: false, users: [{ user, state: after }] })
  }

  /** Everyone online or away in `room`, for a connection that just joined it. */
  snapshot(room: string): PresenceEntry[] {
    const users: PresenceEntry[] = []
    for (const [userId, byInstance] of this.view.get(room) ?? []) {
      const state = this.stateOf(room, userId)
      const entry = byInstance.values().next().value
      if (state !== 'offline' && entry) users.push({ user: entry.user, state })
    }
    return users.sort((a, b) => a.user.name.localeCompare(b.user.name))
  }

  /** Repeats this instance's announcements (keeping them alive elsewhere) and drops other instances' stale ones. */
  refresh(now = Date.now()): void {
    for (const [room, users] of this.announced) {
      for (const entry of users.values()) {
        entry.at = now
        this.share({ kind: 'presence', instance: this.instance, room, user: entry.user, state: entry.state, at: now })
      }
    }
    for (const [room, users] of [...this.view]) {
      for (const byInstance of [...users.values()]) {
        for (const [instance, entry] of [...byInstance]) {
          if (instance !== this.instance && now - entry.at > this.ttlMs) {
            this.apply({ kind: 'presence', instance, room, user: entry.user, state: 'offline', at: now })
          }
        }
      }
    }
  }

  private stateOf(room: string, userId: string): State {
    const byInstance = this.view.get(room)?.get(userId)
    if (!byInstance || byInstance.size === 0) return 'offline'
    for (const entry of byInstance.values()) if (entry.state === 'online') return 'online'
    return 'away'
  }

  private localState(room: string, userId: string): State {
    let state: State = 'offline'
    for (const connection of this.hub.connectionsOf(userId)) {
      if (!this.hub.isPresent(connection, room)) continue
      if (connection.visible) return 'online'
      state = 'away'
    }
    return state
  }
}

function setIn<V>(index: Map<string, Map<string, V>>, outer: string, inner: string, value: V): void {
  let map = index.get(outer)
  if (!map) index.set(outer, (map = new Map()))
  map.set(inner, value)
}

function deleteFrom<V>(index: Map<string, Map<string, V>>, outer: string, inner: string): void {
  const map = index.get(outer)
  if (!map) return
  map.delete(inner)
  if (map.size === 0) index.delete(outer)
}
