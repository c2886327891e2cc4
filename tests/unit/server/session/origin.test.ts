import { describe, expect, it, vi } from 'vitest'
import { describeOriginRefusal, isOriginAllowed, parseAllowedOrigins } from '#server/utils/session/origin'
import { log } from '#server/utils/log/logger'

describe('isOriginAllowed', () => {
  it('allows the same origin and the configured ones, nothing else', () => {
    const allowed = ['https://chat.example.com']
    expect(isOriginAllowed('http://localhost:3000', 'localhost:3000', allowed)).toBe(true)
    expect(isOriginAllowed('https://chat.example.com', 'localhost:3000', allowed)).toBe(true)
    expect(isOriginAllowed('https://evil.example', 'localhost:3000', allowed)).toBe(false)
    expect(isOriginAllowed('http://localhost:3001', 'localhost:3000', allowed)).toBe(false)
    expect(isOriginAllowed('https://chat.example.com.evil.example', 'localhost:3000', allowed)).toBe(false)
    expect(isOriginAllowed('null', 'localhost:3000', allowed)).toBe(false)
  })

  it('refuses a plain-http page of the same host when the request came over TLS', () => {
    expect(isOriginAllowed('http://chat.example.com', 'chat.example.com', [], true)).toBe(false)
    expect(isOriginAllowed('https://chat.example.com', 'chat.example.com', [], true)).toBe(true)
    expect(isOriginAllowed('https://chat.example.com', 'chat.example.com', [], false)).toBe(true)
    expect(isOriginAllowed('ftp://chat.example.com', 'chat.example.com', [], false)).toBe(false)
  })

  it('allows a handshake without Origin, which only non-browser clients make', () => {
    expect(isOriginAllowed(null, 'localhost:3000', [])).toBe(true)
  })
})

describe('parseAllowedOrigins', () => {
  it('normalises a comma separated list and drops invalid entries', () => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => {})
    expect(parseAllowedOrigins(' https://a.example/ , not a url,http://b.example:8080 ')).toEqual(['https://a.example', 'http://b.example:8080'])
    expect(warn).toHaveBeenCalledOnce()
    expect(parseAllowedOrigins(undefined)).toEqual([])
  })
})

describe('describeOriginRefusal', () => {
  it('names the Origin, the Host it was compared with, the scheme and the allow-list', () => {
    const line = describeOriginRefusal('http://chat.lan:8080', 'chat.lan', ['https://chat.example.com'], false)
    expect(line).toContain('Origin http://chat.lan:8080 does not match Host chat.lan (request over http)')
    expect(line).toContain('NUXT_ALLOWED_ORIGINS https://chat.example.com')
    expect(line).toContain('Host $http_host')
    expect(describeOriginRefusal('https://evil.example', null, [], true)).toContain('Host (none) (request over https) nor NUXT_ALLOWED_ORIGINS (empty)')
  })
})
