import type { ChatMessage } from '#shared/protocol'
import { messageHref } from '#shared/message-link'
import { formatMessage } from '../../../utils/message-format'
import type { MessageNode } from '../../../utils/message-format'
import { userLabel } from '../../../utils/user-label'
import type { PushKind } from './push-policy'

/** What the service worker (public/sw.js) shows: all plain text, and where a click goes. */
export interface PushPayload {
  title: string
  body: string
  /** `/rooms/<room>?at=<seq>`: the room, scrolled to the message. */
  url: string
  /** One notification per message: a second push of it replaces the first. */
  tag: string
}

/** Long enough to read the gist on a lock screen; push services cap payloads near 4 KiB anyway. */
export const PUSH_TEXT_LENGTH = 140

const plainText = (nodes: readonly MessageNode[]): string => nodes.map((node) => {
  if (node.type === 'break') return ' '
  if ('text' in node) return node.text
  return `${plainText(node.children)} `
}).join('')

/** The message as one line of plain text: markdown's marks gone, whitespace collapsed, cut at a whole character. */
export function pushText(text: string, length = PUSH_TEXT_LENGTH): string {
  const flat = plainText(formatMessage(text)).replace(/\s+/g, ' ').trim()
  const characters = [...flat]
  return characters.length <= length ? flat : `${characters.slice(0, length - 1).join('').trimEnd()}…`
}

/** The notification of a message: the room (or, for a direct message, "Direct message") and the sender in the title. */
export function pushPayload(message: ChatMessage, kind: PushKind): PushPayload {
  const sender = userLabel(message.user)
  const title = kind === 'dm' ? `${sender}: direct message` : `${sender} in #${message.room}`
  return {
    title,
    body: pushText(message.text),
    url: messageHref(message),
    tag: `message-${message.id}`,
  }
}
