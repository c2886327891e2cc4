import { describe, expect, it } from 'vitest'
import { BodyBudget } from '#server/utils/http/body-budget'

describe('the budget of request bodies in flight', () => {
  it('gives each address its share, refusing past it without touching the others\'', () => {
    const budget = new BodyBudget(100, 30)
    expect(budget.reserve('a', 20)).toBeNull()
    expect(budget.reserve('a', 11)).toBe('address')
    expect(budget.reserve('b', 30)).toBeNull()
    expect(budget.inFlight).toBe(50)
  })

  it('refuses past the total whoever asks, and takes again what is released', () => {
    const budget = new BodyBudget(50, 30)
    expect(budget.reserve('a', 30)).toBeNull()
    expect(budget.reserve('b', 20)).toBeNull()
    expect(budget.reserve('c', 1)).toBe('server')
    budget.release('a', 30)
    expect(budget.reserve('c', 30)).toBeNull()
    expect(budget.reserve('a', 1)).toBe('server')
    budget.release('b', 20)
    expect(budget.reserve('a', 20)).toBeNull()
    expect(budget.inFlight).toBe(50)
  })
})
