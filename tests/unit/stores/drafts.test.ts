import { describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { PROTOCOL_VERSION } from '#shared/protocol'
import { useConnectionStore } from '~/stores/connection'
import { roomDraft, threadDraft, useDraftsStore } from '~/stores/drafts'
import { useSessionStore } from '~/stores/session'
import { clearOfflineData } from '~/utils/offline-data'
import { bob, FakeWebSocket, latest, useStoreTestEnvironment, user } from './support'

useStoreTestEnvironment()

/**
 * A localStorage of this test's own, kept across the "reloads" below (new Pinia, same storage). Its items are its
 * own keys, as the browser's are: utils/offline-data.ts lists them with Object.keys.
 */
function keptStorage() {
  const items: Record<string, string> = {}
  const storage = Object.defineProperties(items, {
    getItem: { value: (key: string) => (Object.hasOwn(items, key) ? items[key] : null) },
    setItem: { value: (key: string, value: string) => void (items[key] = value) },
    removeItem: { value: (key: string) => void Reflect.deleteProperty(items, key) },
  })
  vi.stubGlobal('localStorage', storage)
  return {
    keys: () => Object.keys(items),
    set: (key: string, value: string) => void (items[key] = value),
  }
}

/** A new page welcomed as `who`: what its drafts store holds once it knows who is signed in. */
async function pageOf(who: typeof user) {
  setActivePinia(createPinia())
  const connection = useConnectionStore()
  const drafts = useDraftsStore()
  connection.connect()
  const socket = latest()
  socket.readyState = FakeWebSocket.OPEN
  socket.deliver({ type: 'welcome', user: who, version: PROTOCOL_VERSION, heartbeatMs: 25_000, limits: { maxRoomsPerConnection: 50 } })
  // The store reads the kept copy when it learns who is signed in (a watch, run before the next render).
  await nextTick()
  return drafts
}

describe('drafts across a reload', () => {
  it('brings back each draft\'s text on the next page of the same user, and forgets a sent one', async () => {
    const kept = keptStorage()
    const first = await pageOf(user)
    first.setText(roomDraft('general'), 'half a thought')
    first.setText(threadDraft('general', 'm1'), 'a reply')
    first.setText(roomDraft('random'), 'sent soon')
    first.setText(roomDraft('random'), '')

    const next = await pageOf(user)
    expect(next.texts).toEqual({ [roomDraft('general')]: 'half a thought', [threadDraft('general', 'm1')]: 'a reply' })
    expect(kept.keys()).toEqual([`banter:drafts:${user.id}`])
  })

  it('never shows one user\'s drafts to another on the same browser', async () => {
    keptStorage()
    const mine = await pageOf(user)
    mine.setText(roomDraft('general'), 'mine')
    expect((await pageOf(bob)).texts).toEqual({})
    expect((await pageOf(user)).texts).toEqual({ [roomDraft('general')]: 'mine' })
  })

  it('keeps another tab\'s drafts of other rooms when this one saves its own', async () => {
    keptStorage()
    const one = await pageOf(user)
    const other = await pageOf(user)
    one.setText(roomDraft('general'), 'from one')
    other.setText(roomDraft('random'), 'from the other')
    expect((await pageOf(user)).texts).toEqual({ [roomDraft('general')]: 'from one', [roomDraft('random')]: 'from the other' })
  })

  it('keeps nothing once the user signs out, and ignores an unreadable copy', async () => {
    const kept = keptStorage()
    const page = await pageOf(user)
    page.setText(roomDraft('general'), 'private')
    useSessionStore().signedOut()
    await clearOfflineData()
    expect(kept.keys()).toEqual([])
    kept.set(`banter:drafts:${user.id}`, '{not json')
    expect((await pageOf(user)).texts).toEqual({})
    kept.set(`banter:drafts:${user.id}`, JSON.stringify({ [roomDraft('general')]: 3, [roomDraft('random')]: 'kept' }))
    expect((await pageOf(user)).texts).toEqual({ [roomDraft('random')]: 'kept' })
  })
})
