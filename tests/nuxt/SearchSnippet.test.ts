import { describe, expect, it } from 'vitest'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import SearchSnippet from '~/components/SearchSnippet.vue'
import { makeSnippet, searchTerms } from '#shared/search'
import type { Snippet } from '#shared/search'

const render = (snippet: Snippet) => mountSuspended(SearchSnippet, { props: { snippet } })
/** What the server sends for a message matched by a query. */
const snippetFor = (text: string, query: string) => makeSnippet(text, searchTerms(query))

describe('SearchSnippet', () => {
  it('marks the matching words, as text, and leaves the rest as text around them', async () => {
    const wrapper = await render(snippetFor('The deploy script deploys', 'deploy'))
    expect(wrapper.findAll('mark').map(mark => mark.text())).toEqual(['deploy', 'deploys'])
    expect(wrapper.text()).toBe('The deploy script deploys')
  })

  it.each([
    '<img src=x onerror=alert(1)> needle',
    '<script>alert(1)</script> needle',
    'needle <a href="javascript:alert(1)">click</a>',
    'needle &lt;b&gt;entities&lt;/b&gt; &amp;',
    '<mark>needle</mark> fake mark',
  ])('renders hostile text %s inert: no element but the marks, every character shown', async (text) => {
    const wrapper = await render(snippetFor(text, 'needle'))
    const elements = [...wrapper.element.querySelectorAll('*')].map(element => element.tagName)
    expect(elements.every(tag => tag === 'MARK')).toBe(true)
    expect(wrapper.text()).toBe(text)
    expect(wrapper.findAll('mark').map(mark => mark.text())).toContain('needle')
  })

  it('marks a tag-like word as plain text inside the mark', async () => {
    const wrapper = await render({ text: 'a <b>bold</b> c', marks: [{ start: 2, end: 13 }] })
    const mark = wrapper.get('mark')
    expect(mark.text()).toBe('<b>bold</b>')
    expect(mark.element.children).toHaveLength(0)
  })

  it('ignores marks that do not fit the text instead of breaking it', async () => {
    const wrapper = await render({ text: 'short', marks: [{ start: 3, end: 50 }, { start: -1, end: 2 }] })
    expect(wrapper.findAll('mark')).toHaveLength(0)
    expect(wrapper.text()).toBe('short')
  })
})
