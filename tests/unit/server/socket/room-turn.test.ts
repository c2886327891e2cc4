import { describe, expect, it } from 'vitest'
import type { ServerEvent, User } from '#shared/protocol'
import { Hub } from '#server/utils/chat/hub'
import { DEFAULT_LIMITS } from '#server/utils/chat/limits'
import { Connection } from '#server/utils/socket/connection'
import type { FramePayload } from '#server/utils/socket/connection'
import { payloadFrame } from '#server/utils/socket/ws-frames'
import { flushed } from '../support/chat'

const user = (id: string): User => ({ id, name: id, username: id })
const chat = (seq: number): ServerEvent => ({ type: 'chat', room: 'general', id: `m${seq}`, seq, user: user('a'), text: `hi ${seq}`, ts: seq, clientId: `c${seq}` })
const ack = (seq: number): ServerEvent => ({ type: 'ack', clientId: `c${seq}`, id: `m${seq}`, seq, ts: seq })

/** A connection whose transport keeps each write's payloads as they were given. */
function member(hub: Hub, id: string) {
  const writes: FramePayload[][] = []
  const connection = new Connection(id, user(id), {
    send: frames => writes.push([...frames]),
    close: () => {},
    bufferedAmount: () => 0,
    ping: () => {},
    terminate: () => {},
  }, DEFAULT_LIMITS)
  hub.add(connection)
  const events = (frame: FramePayload) => frame.lines.map(line => (JSON.parse(line.toString()) as ServerEvent & { seq?: number }))
  return { connection, writes, events }
}

describe('a room\'s shared frame per turn', () => {
  it('gives every member sent the whole turn the same payload, and each member\'s acks after it in the same write', async () => {
    const hub = new Hub()
    const [alice, bob] = [member(hub, 'alice'), member(hub, 'bob')]
    for (const peer of [alice, bob]) hub.enter(peer.connection, 'general', false)
    hub.toRoom('general', chat(1))
    alice.connection.sendAck(ack(1))
    hub.toRoom('general', chat(2))
    hub.toRoom('general', chat(3))
    await flushed()

    expect(alice.writes).toHaveLength(1)
    expect(bob.writes).toHaveLength(1)
    const [room, acks] = alice.writes[0]!
    expect(room).toBe(bob.writes[0]![0])
    expect(alice.events(room!).map(event => event.seq)).toEqual([1, 2, 3])
    expect(alice.events(acks!)).toEqual([ack(1)])
    expect(bob.writes[0]).toHaveLength(1)
    expect(payloadFrame(room!)).toBe(payloadFrame(bob.writes[0]![0]!))
  })

  it('copies the lines for a member that came in during the turn, or whose own lines came between the room\'s', async () => {
    const hub = new Hub()
    const [alice, bob, carol] = [member(hub, 'alice'), member(hub, 'bob'), member(hub, 'carol')]
    for (const peer of [alice, bob]) hub.enter(peer.connection, 'general', false)
    hub.toRoom('general', chat(1))
    hub.enter(carol.connection, 'general', false)
    bob.connection.send({ type: 'heartbeat', ts: 1 })
    hub.toRoom('general', chat(2))
    await flushed()

    const shared = alice.writes[0]![0]!
    expect(alice.events(shared).map(event => event.seq)).toEqual([1, 2])
    for (const peer of [bob, carol]) expect(peer.writes[0]!.every(frame => frame !== shared)).toBe(true)
    expect(bob.writes[0]!.flatMap(bob.events).map(event => event.type)).toEqual(['chat', 'heartbeat', 'chat'])
    expect(carol.writes[0]!.flatMap(carol.events).map(event => event.seq)).toEqual([2])
  })

  it('starts a new turn after the flush, and frames a shared payload again once it has grown', async () => {
    const hub = new Hub()
    const alice = member(hub, 'alice')
    hub.enter(alice.connection, 'general', false)
    hub.toRoom('general', chat(1))
    await flushed()
    hub.toRoom('general', chat(2))
    await flushed()
    expect(alice.writes.map(write => write.flatMap(alice.events).map(event => event.seq))).toEqual([[1], [2]])
    expect(alice.writes[1]![0]).not.toBe(alice.writes[0]![0])

    const grown = { lines: [Buffer.from('{"a":1}')], bytes: 7, shared: true }
    const first = payloadFrame(grown)
    grown.lines.push(Buffer.from('{"b":2}'))
    grown.bytes += 7
    expect(payloadFrame(grown)).not.toBe(first)
    expect(payloadFrame(grown).subarray(2).toString()).toBe('{"a":1}\n{"b":2}')
  })
})
