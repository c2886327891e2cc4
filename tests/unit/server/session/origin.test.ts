import { describe, expect, it, vi } from 'vitest'
import { isOriginAllowed, parseAllowedOrigins } from '#server/utils/session/origin'
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
