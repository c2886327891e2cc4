import * as v from 'valibot'
import type { H3Event } from 'h3'
import { RoomNameSchema } from '#shared/protocol'
import { parseParam } from './http-errors'

const MessageIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64))

/** The room and message id of `/api/rooms/:room/messages/:id…`, validated. */
export function messageParams(event: H3Event): { room: string, id: string } {
  return {
    room: parseParam(RoomNameSchema, getRouterParam(event, 'room'), 'room'),
    id: parseParam(MessageIdSchema, getRouterParam(event, 'id'), 'message id'),
  }
}
