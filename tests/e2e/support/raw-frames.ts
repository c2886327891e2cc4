import { randomBytes } from 'node:crypto'

/**
 * RFC 6455 frames built and parsed by hand, so tests can send what no well-behaved client
 * library would: reserved bits and opcodes, fragmented control frames, lying length encodings.
 */

/** Opcodes defined by RFC 6455 section 5.2; 0x3-0x7 and 0xB-0xF are reserved. */
export const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const

/** RSV bits as a 3-bit number, in header order: RSV1 = 4, RSV2 = 2, RSV3 = 1. */
export const RSV1 = 0b100
export const RSV2 = 0b010
export const RSV3 = 0b001

export interface FrameOptions {
  opcode: number
  payload?: Uint8Array | string
  /** @default true */
  fin?: boolean
  /** RSV bits, 0 to 7. @default 0 */
  rsv?: number
  /** Client frames must be masked (RFC 6455 5.1). @default true */
  masked?: boolean
  /** Forces a length encoding; by default the shortest one that fits. */
  lengthBits?: 7 | 16 | 64
  /** A length to declare in the header instead of the payload's real one (only with 64-bit lengths when above 65535). */
  declaredLength?: bigint
}

/** Builds one client frame. */
export function buildFrame(options: FrameOptions): Buffer {
  const payload = typeof options.payload === 'string' ? Buffer.from(options.payload) : Buffer.from(options.payload ?? [])
  const fin = options.fin ?? true
  const rsv = options.rsv ?? 0
  const masked = options.masked ?? true
  const length = options.declaredLength ?? BigInt(payload.length)
  const bits = options.lengthBits ?? (length < 126n ? 7 : length < 65536n ? 16 : 64)

  const lengthBytes = bits === 7 ? 0 : bits === 16 ? 2 : 8
  const header = Buffer.alloc(2 + lengthBytes)
  header[0] = (fin ? 0x80 : 0) | ((rsv & 0b111) << 4) | (options.opcode & 0x0f)
  if (bits === 7) header[1] = Number(length)
  else if (bits === 16) {
    header[1] = 126
    header.writeUInt16BE(Number(length), 2)
  }
  else {
    header[1] = 127
    header.writeBigUInt64BE(length, 2)
  }
  if (!masked) return Buffer.concat([header, payload])

  header[1] |= 0x80
  const mask = randomBytes(4)
  const body = Buffer.alloc(payload.length)
  for (let i = 0; i < payload.length; i++) body[i] = payload[i]! ^ mask[i & 3]!
  return Buffer.concat([header, mask, body])
}

/** The payload of a close frame: a 2-byte status code and an optional reason. */
export function closePayload(code: number, reason: Uint8Array | string = ''): Buffer {
  const head = Buffer.alloc(2)
  head.writeUInt16BE(code)
  return Buffer.concat([head, typeof reason === 'string' ? Buffer.from(reason) : reason])
}

/** Splits a message into `count` data frames (first with `opcode`, the rest continuations); the last has FIN. */
export function fragment(opcode: number, payload: Uint8Array | string, count: number): Buffer[] {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload)
  const size = Math.ceil(bytes.length / count)
  return Array.from({ length: count }, (_, i) => buildFrame({
    opcode: i === 0 ? opcode : OPCODE.continuation,
    payload: bytes.subarray(i * size, (i + 1) * size),
    fin: i === count - 1,
  }))
}

/** A frame as the server sent it. */
export interface ServerFrame {
  fin: boolean
  rsv: number
  opcode: number
  masked: boolean
  payload: Buffer
}

/** The status code of a close frame, or null when it carries none (1005 "no status received"). */
export function closeCodeOf(frame: ServerFrame): number | null {
  return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : null
}

export function closeReasonOf(frame: ServerFrame): string {
  return frame.payload.subarray(2).toString()
}

/** Cuts the server's byte stream into frames; bytes of an unfinished frame wait for the next chunk. */
export class FrameParser {
  private buffer: Buffer = Buffer.alloc(0)

  push(chunk: Buffer): ServerFrame[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
    const frames: ServerFrame[] = []
    for (;;) {
      const frame = this.take()
      if (!frame) return frames
      frames.push(frame)
    }
  }

  private take(): ServerFrame | null {
    const buf = this.buffer
    if (buf.length < 2) return null
    const masked = (buf[1]! & 0x80) !== 0
    let length = buf[1]! & 0x7f
    let offset = 2
    if (length === 126) {
      if (buf.length < 4) return null
      length = buf.readUInt16BE(2)
      offset = 4
    }
    else if (length === 127) {
      if (buf.length < 10) return null
      length = Number(buf.readBigUInt64BE(2))
      offset = 10
    }
    const maskOffset = offset
    if (masked) offset += 4
    if (buf.length < offset + length) return null
    const payload = Buffer.from(buf.subarray(offset, offset + length))
    if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= buf[maskOffset + (i & 3)]!
    this.buffer = buf.subarray(offset + length)
    return { fin: (buf[0]! & 0x80) !== 0, rsv: (buf[0]! >> 4) & 0b111, opcode: buf[0]! & 0x0f, masked, payload }
  }
}
