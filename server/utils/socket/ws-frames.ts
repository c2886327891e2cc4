import type { FramePayload } from './connection'

/**
 * WebSocket text frames built by hand (RFC 6455 section 5.2: FIN + text opcode, no mask from a server), so a
 * broadcast is framed once and every recipient gets the same bytes in one `write`. ws.send builds a header
 * per call and writes it and the payload separately (a writev per recipient); at 19,000 recipients that
 * was most of a broadcast's time.
 */

const FIN_TEXT = 0x81
/** Single-event frames, cached per event Buffer: a room's members all receive the same one. */
const framedOnce = new WeakMap<Buffer, Buffer>()
/** Frames of shared payloads (a room's turn), with how many lines they held when framed. */
const framedShared = new WeakMap<object, { lines: number, frame: Buffer }>()

function headerLength(payloadBytes: number): number {
  return payloadBytes < 126 ? 2 : payloadBytes < 65_536 ? 4 : 10
}

function writeHeader(frame: Buffer, payloadBytes: number): number {
  frame[0] = FIN_TEXT
  if (payloadBytes < 126) {
    frame[1] = payloadBytes
    return 2
  }
  if (payloadBytes < 65_536) {
    frame[1] = 126
    frame.writeUInt16BE(payloadBytes, 2)
    return 4
  }
  frame[1] = 127
  frame.writeUInt32BE(Math.floor(payloadBytes / 2 ** 32), 2)
  frame.writeUInt32BE(payloadBytes >>> 0, 6)
  return 10
}

/** The frame of a payload; a shared one is built once for all its recipients (again if it grew since). */
export function payloadFrame(payload: FramePayload): Buffer {
  if (!payload.shared) return textFrame(payload.lines, payload.bytes)
  const cached = framedShared.get(payload)
  if (cached && cached.lines === payload.lines.length) return cached.frame
  const frame = textFrame(payload.lines, payload.bytes)
  framedShared.set(payload, { lines: payload.lines.length, frame })
  return frame
}

/** One text frame whose payload is `lines` joined with `\n` (`bytes`: their total length, without separators). */
export function textFrame(lines: readonly Buffer[], bytes: number): Buffer {
  if (lines.length === 1) {
    const line = lines[0]!
    let frame = framedOnce.get(line)
    if (!frame) framedOnce.set(line, (frame = buildFrame(lines, line.length)))
    return frame
  }
  return buildFrame(lines, bytes + lines.length - 1)
}

function buildFrame(lines: readonly Buffer[], payloadBytes: number): Buffer {
  const frame = Buffer.allocUnsafe(headerLength(payloadBytes) + payloadBytes)
  let offset = writeHeader(frame, payloadBytes)
  for (let i = 0; i < lines.length; i++) {
    if (i > 0) frame[offset++] = 0x0a
    offset += lines[i]!.copy(frame, offset)
  }
  return frame
}
