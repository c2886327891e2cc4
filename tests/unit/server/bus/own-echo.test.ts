import { describe, expect, it } from 'vitest'
import { busSigner } from '#server/utils/bus/bus-signature'
import { batchBody, ownEchoCheck } from '#server/utils/bus/own-echo'
import type { BusMessage } from '#server/utils/bus/types'

const signer = busSigner('test-secret')
const messages: BusMessage[] = [{ kind: 'close-user', userId: 'u', code: 1008, reason: 'r' }]
const signed = (body: string) => Buffer.from(signer.sign(body))

describe('ownEchoCheck', () => {
  const isOwnEcho = ownEchoCheck('instance-a')

  it('knows a batch this instance signed', () => {
    expect(isOwnEcho(signed(batchBody('instance-a', messages)))).toBe(true)
    expect(isOwnEcho(signed(batchBody('instance-a', [])))).toBe(true)
  })

  it('leaves alone the batches of other instances, even one whose id begins with this one', () => {
    expect(isOwnEcho(signed(batchBody('instance-b', messages)))).toBe(false)
    expect(isOwnEcho(signed(batchBody('instance-ab', messages)))).toBe(false)
    expect(isOwnEcho(signed(batchBody('instance', messages)))).toBe(false)
  })

  it('leaves alone a single message of an older instance, a batch without a sender, a payload shorter than the marker, and what is not signed', () => {
    expect(isOwnEcho(signed(JSON.stringify(messages[0])))).toBe(false)
    expect(isOwnEcho(signed(JSON.stringify({ kind: 'batch', messages })))).toBe(false)
    expect(isOwnEcho(Buffer.from(batchBody('instance-a', messages)))).toBe(false)
    expect(isOwnEcho(Buffer.from(''))).toBe(false)
    expect(isOwnEcho(signed('{}'))).toBe(false)
  })
})
