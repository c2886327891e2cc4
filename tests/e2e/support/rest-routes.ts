import { createECDH, randomBytes } from 'node:crypto'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { uniqueName } from './client'

interface Account {
  cookie: string
  user: { id: string, name: string, username: string }
}

/** What the calls need: signed-in users, a room and a message in it. */
export interface RouteFixture {
  author: Account
  friend: Account
  /** Signed in and not heard from since, so that reading their session writes their activity to storage. */
  quiet: Account
  /** An account with a password, signed in twice (two sessions), and its credentials. */
  member: Account & { password: string, otherSessionCookie: string }
  /** Deletes their account last. */
  leaver: Account
  /** A passkey of `member`'s, put in the database by the fixture (REST cannot make one without an authenticator). */
  memberPasskeyId: string
  room: string
  messageId: string
  /** An image `author` uploaded to `room`. */
  fileId: string
}

/** One REST route, called the way the app calls it. */
export interface RouteCall {
  /** `METHOD /api/path`, with `:param` for a route parameter (see apiRouteFiles). */
  name: string
  succeedsWith: number
  call: (baseURL: string) => Promise<Response>
  /** Reads only the workspace settings, which every instance keeps for a second: may still answer from them. */
  mayAnswerFromCache?: true
}

/**
 * A valid request to each route of server/api, in an order that works from the fixture: the message is
 * edited and reacted to before it is deleted, and the quiet user signs out last.
 */
export function everyRoute({ author, friend, quiet, member, leaver, memberPasskeyId, room, messageId, fileId }: RouteFixture): RouteCall[] {
  const message = `/api/rooms/${room}/messages/${messageId}`
  return [
    route('GET /api/health', 200, '/api/health'),
    route('GET /api/session', 200, '/api/session', quiet),
    route('POST /api/session', 200, '/api/session', null, { name: uniqueName('newcomer') }),
    route('GET /api/rooms', 200, '/api/rooms', author),
    route('POST /api/rooms', 201, '/api/rooms', author, { name: uniqueName('new-room') }),
    route('POST /api/dms', 201, '/api/dms', author, { username: friend.user.username }),
    route('POST /api/auth/register', 201, '/api/auth/register', null, { username: uniqueName('registered'), password: 'a fine password' }),
    route('POST /api/auth/login', 200, '/api/auth/login', null, { username: member.user.username, password: member.password }),
    route('GET /api/account', 200, '/api/account', author),
    route('PATCH /api/account', 200, '/api/account', author, { displayName: 'Author Renamed' }),
    route('GET /api/account/sessions', 200, '/api/account/sessions', member),
    { ...route('GET /api/auth/methods', 200, '/api/auth/methods'), mayAnswerFromCache: true },
    route('GET /api/account/passkeys', 200, '/api/account/passkeys', member),
    route('DELETE /api/account/passkeys/:id', 204, `/api/account/passkeys/${memberPasskeyId}`, member),
    // Each asks for a ceremony's options (verify: false): a challenge is stored, so storage must be up.
    route('POST /api/auth/webauthn/authenticate', 200, '/api/auth/webauthn/authenticate', null, { verify: false }),
    route('POST /api/auth/webauthn/sign-up', 200, '/api/auth/webauthn/sign-up', null, { verify: false, user: { userName: uniqueName('passkey') } }),
    route('POST /api/auth/webauthn/register', 200, '/api/auth/webauthn/register', member, { verify: false, user: { userName: member.user.username } }),
    // The workspace's admin routes, as `member`: the first account of the test's fresh server, so its owner.
    route('GET /api/workspace', 200, '/api/workspace', author),
    route('PATCH /api/workspace', 200, '/api/workspace', member, { registration: 'open' }),
    route('GET /api/workspace/members', 200, '/api/workspace/members', member),
    route('PATCH /api/workspace/members/:id', 200, `/api/workspace/members/${friend.user.id}`, member, { role: 'member' }),
    route('POST /api/workspace/members/:id/suspension', 200, `/api/workspace/members/${friend.user.id}/suspension`, member, { until: Date.now() + 3_600_000 }),
    route('DELETE /api/workspace/members/:id/suspension', 200, `/api/workspace/members/${friend.user.id}/suspension`, member),
    route('GET /api/invites', 200, '/api/invites', member),
    route('POST /api/invites', 201, '/api/invites', member, { expiresInHours: 1, maxUses: 1 }),
    {
      // Revokes the invite just made, found in the list (a made-up id while storage is down).
      name: 'DELETE /api/invites/:id',
      succeedsWith: 204,
      call: async (baseURL) => {
        const list = await fetch(`${baseURL}/api/invites`, { headers: { cookie: member.cookie } })
        const invites: { id: string, status: string }[] = list.ok ? (await list.json()).invites : []
        const id = invites.find(invite => invite.status === 'active')?.id ?? 'none'
        return fetch(`${baseURL}/api/invites/${id}`, { method: 'DELETE', headers: { cookie: member.cookie } })
      },
    },
    route('GET /api/audit', 200, '/api/audit', member),
    {
      // Ends the member's other session, found in their list (a made-up id while storage is down).
      name: 'DELETE /api/account/sessions/:id',
      succeedsWith: 204,
      call: async (baseURL) => {
        const list = await fetch(`${baseURL}/api/account/sessions`, { headers: { cookie: member.cookie } })
        const sessions: { id: string, current: boolean }[] = list.ok ? (await list.json()).sessions : []
        const other = sessions.find(session => !session.current)?.id ?? '0'.repeat(64)
        return fetch(`${baseURL}/api/account/sessions/${other}`, { method: 'DELETE', headers: { cookie: member.cookie } })
      },
    },
    route('PUT /api/account/password', 200, '/api/account/password', member, { current: member.password, password: `${member.password} and more` }),
    route('GET /api/rooms/:room/messages', 200, `/api/rooms/${room}/messages`, author),
    route('POST /api/rooms/:room/messages', 201, `/api/rooms/${room}/messages`, author, { text: 'second', clientId: 'second' }),
    route('GET /api/search', 200, '/api/search?q=second', author),
    route('PUT /api/rooms/:room/read', 200, `/api/rooms/${room}/read`, author, { seq: 1 }),
    route('PATCH /api/rooms/:room/messages/:id', 200, message, author, { text: 'edited' }),
    route('POST /api/rooms/:room/messages/:id/reactions', 200, `${message}/reactions`, author, { emoji: '👍' }),
    route('PUT /api/rooms/:room/messages/:id/pin', 200, `${message}/pin`, author),
    route('GET /api/rooms/:room/pins', 200, `/api/rooms/${room}/pins`, author),
    {
      name: 'POST /api/rooms/:room/uploads',
      succeedsWith: 201,
      call: baseURL => fetch(`${baseURL}/api/rooms/${room}/uploads?name=notes.txt`, {
        method: 'POST', headers: { 'cookie': author.cookie, 'content-type': 'text/plain' }, body: 'some notes',
      }),
    },
    route('GET /api/files/:id', 200, `/api/files/${fileId}`, author),
    route('GET /api/files/:id/thumbnail', 200, `/api/files/${fileId}/thumbnail`, author),
    route('HEAD /api/files/:id', 200, `/api/files/${fileId}`, author),
    route('HEAD /api/files/:id/thumbnail', 200, `/api/files/${fileId}/thumbnail`, author),
    route('POST /api/account/push-subscriptions', 201, '/api/account/push-subscriptions', author, browserPushSubscription()),
    route('GET /api/account/push-subscriptions', 200, '/api/account/push-subscriptions', author),
    {
      // Removes the device just subscribed, found in the list (a made-up id while storage is down).
      name: 'DELETE /api/account/push-subscriptions/:id',
      succeedsWith: 204,
      call: async (baseURL) => {
        const list = await fetch(`${baseURL}/api/account/push-subscriptions`, { headers: { cookie: author.cookie } })
        const devices: { id: string }[] = list.ok ? (await list.json()).subscriptions : []
        return fetch(`${baseURL}/api/account/push-subscriptions/${devices[0]?.id ?? 'none'}`, { method: 'DELETE', headers: { cookie: author.cookie } })
      },
    },
    route('GET /api/rooms/:room/messages/:id/thread', 200, `${message}/thread`, author),
    route('PUT /api/rooms/:room/messages/:id/thread-read', 200, `${message}/thread-read`, author, { seq: 1 }),
    route('GET /api/rooms/:room/threads', 200, `/api/rooms/${room}/threads`, author),
    route('GET /api/threads', 200, '/api/threads', author),
    route('PUT /api/rooms/:room/notifications', 200, `/api/rooms/${room}/notifications`, author, { level: 'all', mutedUntil: null }),
    route('GET /api/rooms/:room/notifications', 200, `/api/rooms/${room}/notifications`, author),
    route('GET /api/notifications', 200, '/api/notifications', author),
    route('GET /api/rooms/:room/receipts', 200, `/api/rooms/${room}/receipts`, author),
    route('PUT /api/account/read-receipts', 200, '/api/account/read-receipts', author, { share: true }),
    route('GET /api/account/read-receipts', 200, '/api/account/read-receipts', author),
    route('DELETE /api/rooms/:room/messages/:id/pin', 200, `${message}/pin`, author),
    route('DELETE /api/rooms/:room/messages/:id', 200, message, author),
    route('GET /api/rooms/:room', 200, `/api/rooms/${room}`, author),
    route('PATCH /api/rooms/:room', 200, `/api/rooms/${room}`, author, { topic: 'the topic' }),
    inPrivateRoom('GET /api/rooms/:room/members', 200, author, friend, name => [`/api/rooms/${name}/members`]),
    inPrivateRoom('POST /api/rooms/:room/members', 200, author, null, name => [`/api/rooms/${name}/members`, { username: friend.user.username }]),
    inPrivateRoom('DELETE /api/rooms/:room/members/:userId', 204, author, friend, name => [`/api/rooms/${name}/members/${friend.user.id}`]),
    route('DELETE /api/session', 204, '/api/session', quiet),
    route('DELETE /api/account', 204, '/api/account', leaver, {}),
    route('DELETE /api/account/sessions', 204, '/api/account/sessions', member),
  ]
}

/** A subscription as a browser makes one (a P-256 key and an auth secret), for a push service on loopback. */
function browserPushSubscription() {
  const browser = createECDH('prime256v1')
  browser.generateKeys()
  return {
    endpoint: `http://127.0.0.1:9/push/${randomBytes(8).toString('hex')}`,
    keys: { p256dh: browser.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') },
    expirationTime: null,
  }
}

/**
 * A route about the members of a private room: each call makes a new private room of `owner`'s (with `member`),
 * then calls the route as the owner (while storage is down, the creation fails and so does the call).
 */
function inPrivateRoom(name: string, succeedsWith: number, owner: Account, member: Account | null, request: (room: string) => [path: string, body?: unknown]): RouteCall {
  const method = name.split(' ')[0]!
  return {
    name,
    succeedsWith,
    call: async (baseURL) => {
      const room = uniqueName('members')
      await fetch(`${baseURL}/api/rooms`, {
        method: 'POST',
        headers: { 'cookie': owner.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ name: room, private: true, members: member ? [member.user.username] : [] }),
      })
      const [path, body] = request(room)
      return fetch(`${baseURL}${path}`, {
        method,
        headers: { 'cookie': owner.cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    },
  }
}

function route(name: string, succeedsWith: number, path: string, as: Account | null = null, body?: unknown): RouteCall {
  const method = name.split(' ')[0]!
  return {
    name,
    succeedsWith,
    call: baseURL => fetch(`${baseURL}${path}`, {
      method,
      headers: { ...(as && { cookie: as.cookie }), ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  }
}

/**
 * An answer in a few words: the status when it succeeded; else the status and the error code
 * (for health, whether storage is up), so one comparison names every route that answered wrongly.
 */
export async function summarize(response: Response): Promise<string> {
  const text = await response.text()
  if (response.ok) return String(response.status)
  // A HEAD answer has no body to carry its code.
  if (!text) return `${response.status} with no body`
  const body = JSON.parse(text)
  if (body.storage) return `${response.status} storage ${body.storage.reachable ? 'up' : 'down'}`
  return `${response.status} ${body.data?.code ?? 'without a code'}`
}

/** Every route file of server/api as `METHOD /api/path`: `rooms/[room]/read.put.ts` is `PUT /api/rooms/:room/read`. */
export function apiRouteFiles(): string[] {
  const root = fileURLToPath(new URL('../../../server/api', import.meta.url))
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    // `[...].ts` answers every path no route serves (404): not a route of its own.
    .filter(file => file.endsWith('.ts') && !file.endsWith('[...].ts'))
    .map((file) => {
      const [, path, method] = /^(.*)\.(\w+)\.ts$/.exec(file.replaceAll('\\', '/'))!
      const url = `/api/${path}`.replace(/\[(\w+)\]/g, ':$1').replace(/\/index$/, '')
      return `${method!.toUpperCase()} ${url}`
    })
}
