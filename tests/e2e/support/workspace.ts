import type { WorkspaceRole } from '#shared/protocol'
import { logIn, register as registerAs, uniqueName } from './client'

/** A signed-in account of a test: its cookie, public user and workspace role. */
export interface Member {
  cookie: string
  user: { id: string, name: string, username: string }
  role: WorkspaceRole
  username: string
  password: string
}

/** POST /api/auth/register; the raw answer, for tests that expect a refusal. */
export function postRegister(baseURL: string, username: string, password: string, invite?: string): Promise<Response> {
  return fetch(`${baseURL}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, ...(invite !== undefined && { invite }) }),
  })
}

/** Registers a new account with a unique username; throws unless the server creates it. */
export async function register(baseURL: string, prefix: string, invite?: string): Promise<Member> {
  const username = uniqueName(prefix)
  const password = `pw-${username}-secret`
  const { cookie, user, role } = await registerAs(baseURL, username, password, invite === undefined ? {} : { invite })
  return { cookie, user, role: role as WorkspaceRole, username, password }
}

export function postLogin(baseURL: string, username: string, password: string): Promise<Response> {
  return fetch(`${baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
}

/** Signs in with a password; the new session's cookie. */
export async function login(baseURL: string, member: Pick<Member, 'username' | 'password'>): Promise<string> {
  const { response, cookie } = await logIn(baseURL, member.username, member.password)
  if (response.status !== 200) throw new Error(`signing in as ${member.username} failed: ${response.status} ${await response.text()}`)
  return cookie
}

/** A REST call as someone (or nobody, with cookie ''). */
export function api(baseURL: string, cookie: string, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${baseURL}${path}`, {
    method,
    headers: { cookie, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
}

/** A REST call that must succeed with `status`; its JSON body (null for 204). */
export async function apiOk<T = Record<string, unknown>>(baseURL: string, cookie: string, method: string, path: string, body?: unknown, status = 200): Promise<T> {
  const response = await api(baseURL, cookie, method, path, body)
  if (response.status !== status) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return (response.status === 204 ? null : await response.json()) as T
}

/** Makes an invite link as `cookie`; the token is the `invite` query parameter of its url. */
export async function makeInvite(baseURL: string, cookie: string, expiresInHours = 1, maxUses = 1) {
  const { invite, url } = await apiOk<{ invite: { id: string, expiresAt: number }, url: string }>(baseURL, cookie, 'POST', '/api/invites', { expiresInHours, maxUses }, 201)
  return { invite, url, token: new URL(url).searchParams.get('invite')! }
}
