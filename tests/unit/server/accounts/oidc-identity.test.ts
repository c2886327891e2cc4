import { describe, expect, it } from 'vitest'
import { displayNameFor, oidcSubjectKey, usernameCandidates } from '#server/utils/accounts/oidc-identity'

const first = (claims: Parameters<typeof usernameCandidates>[0], count: number) => {
  const taken: string[] = []
  for (const candidate of usernameCandidates(claims, () => 'r4nd0m')) {
    taken.push(candidate)
    if (taken.length === count) break
  }
  return taken
}

describe('OpenID identities', () => {
  it('keys an identity by issuer and subject, so one sub at two issuers is two people', () => {
    expect(oidcSubjectKey('https://a.example', '42')).toBe('https://a.example#42')
    expect(oidcSubjectKey('https://a.example', '42')).not.toBe(oidcSubjectKey('https://b.example', '42'))
  })

  it('tries preferred_username, then the e-mail\'s local part, then the name, then numbered, then random', () => {
    expect(first({ sub: '1', preferred_username: 'alice', email: 'ali@example.com', name: 'Alice Liddell' }, 5))
      .toEqual(['alice', 'ali', 'alice-liddell', 'alice-2', 'alice-3'])
    expect(first({ sub: '1', preferred_username: 'alice' }, 10).slice(-2)).toEqual(['alice-9', 'user-r4nd0m'])
  })

  it('passes every claim through the username rules and skips what they refuse', () => {
    const candidates = first({ sub: '1', preferred_username: 'has spaces and !!', email: '@example.com' }, 1)
    expect(candidates).toEqual(['user-r4nd0m'])
  })

  it('keeps a numbered fallback of a long name within the length limit', () => {
    const [, numbered] = first({ sub: '1', preferred_username: 'a'.repeat(32) }, 2)
    expect(numbered).toBe(`${'a'.repeat(28)}-2`)
  })

  it('takes the display name from the name claim, else the username', () => {
    expect(displayNameFor({ sub: '1', name: '  Alice   L.  ' }, 'alice')).toBe('Alice L.')
    expect(displayNameFor({ sub: '1' }, 'alice')).toBe('alice')
  })
})
