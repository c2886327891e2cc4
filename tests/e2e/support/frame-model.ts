import { MAX_FRAME_BYTES } from '#shared/protocol-limits'
import { OPCODE } from './raw-frames'

/** One frame as the fuzz generates it: honest length, masked, anything else goes. */
export interface FrameSpec {
  opcode: number
  rsv: number
  fin: boolean
  payload: Uint8Array
}

/** What RFC 6455 (with banter's 64 KiB limit) says the server must do with a sequence of frames. */
export type ExpectedOutcome =
  | { kind: 'close', code: number | null, pongs: string[] }
  | { kind: 'open', messages: number, pongs: string[] }

const utf8 = new TextDecoder('utf-8', { fatal: true })

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    utf8.decode(bytes)
    return true
  }
  catch {
    return false
  }
}

/** Close codes an endpoint may send (RFC 6455 7.4 and the IANA registry up to 1014; 3000-4999 for libraries and apps). */
export function isValidCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1014 && ![1004, 1005, 1006].includes(code)) || (code >= 3000 && code <= 4999)
}

/**
 * A reference model of a conforming server: walks the frames in order and stops at the first one the
 * RFC says must fail the connection. `pongs` are the (hex) payloads of the pings it must answer before that.
 */
export function expectedOutcome(frames: FrameSpec[]): ExpectedOutcome {
  const pongs: string[] = []
  const fail = (code: number): ExpectedOutcome => ({ kind: 'close', code, pongs })
  let open: number = 0 // opcode of the fragmented message in progress, 0 when none
  let parts: Uint8Array[] = []
  let total = 0
  let messages = 0

  for (const frame of frames) {
    const { opcode, payload } = frame
    const control = opcode >= 0x8
    if (frame.rsv !== 0) return fail(1002)
    if (![OPCODE.continuation, OPCODE.text, OPCODE.binary, OPCODE.close, OPCODE.ping, OPCODE.pong].includes(opcode as 0)) return fail(1002)
    if (opcode === OPCODE.continuation && !open) return fail(1002)
    if ((opcode === OPCODE.text || opcode === OPCODE.binary) && open) return fail(1002)
    if (control && (!frame.fin || payload.length > 125)) return fail(1002)

    if (opcode === OPCODE.ping) pongs.push(Buffer.from(payload).toString('hex'))
    if (opcode === OPCODE.close) {
      if (payload.length === 0) return { kind: 'close', code: null, pongs }
      if (payload.length === 1) return fail(1002)
      const code = Buffer.from(payload).readUInt16BE(0)
      if (!isValidCloseCode(code)) return fail(1002)
      if (!isValidUtf8(payload.subarray(2))) return fail(1007)
      return { kind: 'close', code, pongs }
    }
    if (control) continue

    const messageOpcode = open || opcode
    total += payload.length
    if (total > MAX_FRAME_BYTES) return fail(1009)
    parts.push(payload)
    if (!frame.fin) {
      open = messageOpcode
      continue
    }
    if (messageOpcode === OPCODE.text && !isValidUtf8(Buffer.concat(parts))) return fail(1007)
    messages++
    open = 0
    parts = []
    total = 0
  }
  return { kind: 'open', messages, pongs }
}
