import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SearchResult, SearchResults } from '#shared/search'
import { apiErrorMessage } from '~/utils/api-error'

/** What the search box asks for: words, and the filters a person expects. */
export interface SearchFilters {
  /** '' for every room. */
  room: string
  /** A username, '' for anyone. */
  from: string
  /** Dates as `<input type="date">` gives them (YYYY-MM-DD), '' for no limit. */
  after: string
  before: string
}

/**
 * The search box, open from anywhere (Ctrl/Cmd+K): its query, filters and results, page by page.
 * Only the newest search's answer is kept: an older one arriving late is dropped.
 */
export const useSearchStore = defineStore('search', () => {
  const isOpen = ref(false)
  const query = ref('')
  const filters = ref<SearchFilters>({ room: '', from: '', after: '', before: '' })
  const results = ref<SearchResult[]>([])
  const nextCursor = ref<string | null>(null)
  const status = ref<'idle' | 'loading' | 'done' | 'error'>('idle')
  const error = ref<string | null>(null)
  let generation = 0

  function open(room?: string): void {
    if (room !== undefined && !isOpen.value) filters.value = { ...filters.value, room }
    isOpen.value = true
  }

  function close(): void {
    isOpen.value = false
  }

  /** The query string of a request: the words and whichever filters are set. */
  function params(cursor?: string): Record<string, string> {
    const { room, from, after, before } = filters.value
    return Object.fromEntries(Object.entries({ q: query.value, room, from, after, before, cursor }).filter(([, value]) => value)) as Record<string, string>
  }

  async function fetchPage(cursor?: string): Promise<void> {
    const mine = ++generation
    status.value = 'loading'
    error.value = null
    try {
      const page = await $fetch<SearchResults>('/api/search', { query: params(cursor) })
      if (mine !== generation) return
      results.value = cursor ? [...results.value, ...page.results] : page.results
      nextCursor.value = page.nextCursor
      status.value = 'done'
    }
    catch (failure) {
      if (mine !== generation) return
      status.value = 'error'
      error.value = apiErrorMessage(failure, 'Search failed. Please try again.')
    }
  }

  /** Searches from the first page; a query with no words clears the results instead of asking. */
  function search(): Promise<void> {
    if (!/[\p{L}\p{N}]/u.test(query.value)) {
      generation++
      results.value = []
      nextCursor.value = null
      status.value = 'idle'
      error.value = null
      return Promise.resolve()
    }
    return fetchPage()
  }

  function loadMore(): Promise<void> {
    return nextCursor.value && status.value !== 'loading' ? fetchPage(nextCursor.value) : Promise.resolve()
  }

  return { isOpen, query, filters, results, nextCursor, status, error, open, close, search, loadMore }
})
