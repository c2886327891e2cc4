// banter needs a signed-in user per socket; one sign-in is shared by `perUser` sockets to keep setup fast
// (banter may later cap connections per user: lower --per-user then).

/** Signs in as `name` and returns the session cookie. */
export async function signIn(port, name) {
  const response = await fetch(`http://127.0.0.1:${port}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  if (!response.ok) throw new Error(`sign-in as ${name} failed: HTTP ${response.status} ${await response.text()}`)
  return response.headers.getSetCookie().map(header => header.split(';')[0]).join('; ')
}

/** Creates a room; a room another worker created first is fine. */
export async function ensureRoom(port, cookie, name) {
  const response = await fetch(`http://127.0.0.1:${port}/api/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name }),
  })
  if (response.status !== 201 && response.status !== 409) throw new Error(`creating room ${name} failed: HTTP ${response.status}`)
}
