import { OAuth2Server } from 'oauth2-mock-server'

/** The claims the mock provider reports for one person. */
export interface OidcIdentity {
  sub: string
  preferred_username?: string
  name?: string
  email?: string
}

/** A local OpenID provider (oauth2-mock-server) on loopback, for the SSO tests. */
export interface OidcProvider {
  /** The issuer URL, which is also the `iss` of every token it signs. */
  issuer: string
  clientId: string
  clientSecret: string
  /** The environment a banter server needs to use this provider (NUXT_OAUTH_OIDC_*). */
  env: Record<string, string>
  /** Who the next authorization (the next visit to /authorize) signs in as. */
  nextLogin(identity: OidcIdentity): void
  /** How many authorization codes were exchanged at the token endpoint, to show a flow really reached it. */
  tokenRequests(): number
  stop(): Promise<void>
}

const DEFAULT_IDENTITY: OidcIdentity = { sub: 'johndoe', preferred_username: 'johndoe', name: 'John Doe' }

/** The `sub` of a JWT, read without verifying: the mock signed it itself a moment ago. */
function subjectOf(jwt: string): string | undefined {
  const payload = jwt.split('.')[1]
  if (!payload) return undefined
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown }
  return typeof claims.sub === 'string' ? claims.sub : undefined
}

/**
 * Starts the mock provider on 127.0.0.1 and a free port. The mock itself always answers `sub: 'johndoe'`;
 * its hooks replace that with the identity chosen by `nextLogin`, bound to the authorization code it issues
 * (so the token and userinfo answers of one flow agree even when the next flow is already prepared).
 */
export async function startOidcProvider(options: { clientId?: string, clientSecret?: string } = {}): Promise<OidcProvider> {
  const clientId = options.clientId ?? 'banter-test'
  const clientSecret = options.clientSecret ?? 'banter-test-secret'
  const server = new OAuth2Server()
  await server.issuer.keys.generate('RS256')

  let pending: OidcIdentity = DEFAULT_IDENTITY
  const byCode = new Map<string, OidcIdentity>()
  const bySubject = new Map<string, OidcIdentity>()
  let exchanged = 0

  server.service.on('beforeAuthorizeRedirect', ({ url }: { url: URL }) => {
    const code = url.searchParams.get('code')
    if (code) byCode.set(code, pending)
  })
  server.service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }, req: { body?: Record<string, unknown> }) => {
    const code = req.body?.code
    const identity = typeof code === 'string' ? byCode.get(code) : undefined
    if (!identity) return
    bySubject.set(identity.sub, identity)
    Object.assign(token.payload, identity)
  })
  server.service.on('beforeResponse', (_response: unknown, req: { body?: Record<string, unknown> }) => {
    const code = req.body?.code
    if (typeof code === 'string' && byCode.delete(code)) exchanged++
  })
  server.service.on('beforeUserinfo', (response: { body: Record<string, unknown> | '' }, req: { headers: Record<string, string | string[] | undefined> }) => {
    const authorization = req.headers.authorization
    const bearer = typeof authorization === 'string' ? authorization.replace(/^Bearer\s+/i, '') : ''
    const sub = bearer ? subjectOf(bearer) : undefined
    const identity = sub ? bySubject.get(sub) : undefined
    if (identity) response.body = { ...identity }
  })

  await server.start(0, '127.0.0.1')
  // The mock names itself `localhost`, which may resolve to ::1 where it does not listen.
  const issuer = `http://127.0.0.1:${server.address().port}`
  server.issuer.url = issuer
  return {
    issuer,
    clientId,
    clientSecret,
    env: {
      NUXT_OAUTH_OIDC_CLIENT_ID: clientId,
      NUXT_OAUTH_OIDC_CLIENT_SECRET: clientSecret,
      NUXT_OAUTH_OIDC_OPENID_CONFIG: `${issuer}/.well-known/openid-configuration`,
    },
    nextLogin(identity) {
      pending = identity
    },
    tokenRequests: () => exchanged,
    stop: () => server.stop(),
  }
}
