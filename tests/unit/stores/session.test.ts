import { describe, expect, it } from 'vitest'
import { useConnectionStore } from '~/stores/connection'
import { useSessionStore } from '~/stores/session'
import { fetchMock, latest, useStoreTestEnvironment, user } from './support'

useStoreTestEnvironment()

describe('session store', () => {
  it('keeps the user and the workspace role from a sign-in answer; a guest is a guest', () => {
    const session = useSessionStore()
    session.signedIn({ user, role: 'owner' })
    expect([session.user, session.role]).toEqual([user, 'owner'])
    session.signedIn({ user: { ...user, id: 'g', guest: true } })
    expect(session.role).toBe('guest')
  })

  it('takes the new names of a rename, and only for this user', () => {
    const session = useSessionStore()
    session.signedIn({ user, role: 'member' })
    session.renamed({ id: 'someone-else', name: 'Mallory', username: 'mallory' })
    expect(session.user).toEqual(user)
    session.renamed({ ...user, name: 'Alice Liddell', username: 'liddell' })
    expect(session.user).toEqual({ ...user, name: 'Alice Liddell', username: 'liddell' })
  })

  it('signs out with DELETE /api/session, closes the socket for good and forgets the user', async () => {
    const session = useSessionStore()
    const connection = useConnectionStore()
    session.signedIn({ user, role: 'member' })
    connection.connect()
    latest().accept()
    await session.signOut()
    expect(fetchMock).toHaveBeenCalledWith('/api/session', { method: 'DELETE' })
    expect(connection.status).toBe('closed')
    expect([session.user, session.role]).toEqual([null, null])
  })

  it('stays signed in when the server could not sign out', async () => {
    const session = useSessionStore()
    session.signedIn({ user, role: 'member' })
    fetchMock.mockRejectedValueOnce(Object.assign(new Error('Bad gateway'), { statusCode: 502 }))
    await expect(session.signOut()).rejects.toThrow('Bad gateway')
    expect(session.user).toEqual(user)
  })
})
