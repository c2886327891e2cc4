import type { ChatStorage } from './types'

/**
 * A storage usable before it is ready: Nitro does not await plugins, so a storage that connects and
 * migrates first (PostgreSQL) is wrapped, and every call waits for it. A failed start fails every call.
 */
export function deferredStorage(ready: Promise<ChatStorage>): ChatStorage {
  const call = <K extends keyof ChatStorage>(method: K) =>
    (async (...args: unknown[]) => {
      const storage = await ready
      return (storage[method] as (...values: unknown[]) => unknown)(...args)
    }) as ChatStorage[K]
  return {
    listRooms: call('listRooms'),
    getRoom: call('getRoom'),
    createRoom: call('createRoom'),
    listRoomsFor: call('listRoomsFor'),
    canAccess: call('canAccess'),
    roomMembers: call('roomMembers'),
    appendMessage: call('appendMessage'),
    messagesBefore: call('messagesBefore'),
    messagesAfter: call('messagesAfter'),
    lastSeq: call('lastSeq'),
    editMessage: call('editMessage'),
    deleteMessage: call('deleteMessage'),
    toggleReaction: call('toggleReaction'),
    claimName: call('claimName'),
    releaseName: call('releaseName'),
    touchName: call('touchName'),
    usersByNames: call('usersByNames'),
    usersByIds: call('usersByIds'),
    setReadSeq: call('setReadSeq'),
    readSeqs: call('readSeqs'),
    roomSeqs: call('roomSeqs'),
    ping: async () => {
      try {
        return await (await ready).ping()
      }
      catch {
        return false
      }
    },
    close: async () => {
      await (await ready.catch(() => null))?.close()
    },
  }
}
