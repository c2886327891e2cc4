import { describe, expect, it } from 'vitest'
import { createRequire } from 'node:module'
import { textFrame } from '#server/utils/socket/ws-frames'

// ws exports its Sender at runtime; its type definitions leave it out.
const { Sender } = createRequire(import.meta.url)('ws') as { Sender: { frame(data: Buffer, options: object): Buffer[] } }

/** The frame ws itself would send for this payload: the reference the hand-built frames must match byte for byte. */
function wsFrame(payload: Buffer): Buffer {
  const parts = Sender.frame(payload, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false })
  return Buffer.concat(parts)
}

describe('textFrame', () => {
  it.each([0, 1, 125, 126, 65_535, 65_536, 70_000])('matches ws for a payload of %i bytes', (size) => {
    const line = Buffer.alloc(size, 'x')
    expect(textFrame([line], size).equals(wsFrame(line))).toBe(true)
  })

  it('joins several lines with newlines in one frame', () => {
    const lines = ['{"a":1}', '{"b":"ü"}', '{}'].map(text => Buffer.from(text))
    const bytes = lines.reduce((total, line) => total + line.length, 0)
    expect(textFrame(lines, bytes).equals(wsFrame(Buffer.from('{"a":1}\n{"b":"ü"}\n{}')))).toBe(true)
  })

  it('frames a shared line once for all its recipients', () => {
    const line = Buffer.from('{"type":"chat"}')
    expect(textFrame([line], line.length)).toBe(textFrame([line], line.length))
  })
})
