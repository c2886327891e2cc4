import { describe, expect, it } from 'vitest'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import MessageText from '~/components/MessageText.vue'

function renderText(text: string, highlight?: string) {
  return mountSuspended(MessageText, { props: { text, highlight } })
}

describe('MessageText', () => {
  it('links an https URL, opening it in a new tab without handing over the page', async () => {
    const wrapper = await renderText('see https://example.com/docs?page=2 for more')
    const link = wrapper.get('a')
    expect(link.text()).toBe('https://example.com/docs?page=2')
    expect(link.attributes('href')).toBe('https://example.com/docs?page=2')
    expect(link.attributes('target')).toBe('_blank')
    expect(link.attributes('rel')).toBe('noopener noreferrer nofollow')
    expect(wrapper.text()).toBe('see https://example.com/docs?page=2 for more')
  })

  it('links plain http too', async () => {
    const wrapper = await renderText('http://example.org/')
    expect(wrapper.get('a').attributes('href')).toBe('http://example.org/')
  })

  it.each([
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '[click](javascript:alert(1))',
    'ftp://example.com/file',
    'file:///etc/passwd',
    '<a href="javascript:alert(1)">click</a>',
  ])('leaves %s as text, with no link and no markup', async (text) => {
    const wrapper = await renderText(text)
    expect(wrapper.findAll('a')).toHaveLength(0)
    // One paragraph of text, nothing in it.
    expect(wrapper.findAll('p')).toHaveLength(1)
    expect(wrapper.get('p').element.children).toHaveLength(0)
    expect(wrapper.text()).toBe(text)
  })

  it('shows `inline code` as code without its backticks, and does not link a URL inside it', async () => {
    const wrapper = await renderText('run `npm test` or `https://example.com`')
    const codes = wrapper.findAll('code')
    expect(codes.map(code => code.text())).toEqual(['npm test', 'https://example.com'])
    expect(wrapper.find('pre').exists()).toBe(false)
    expect(wrapper.find('a').exists()).toBe(false)
    expect(wrapper.text()).toBe('run npm test or https://example.com')
  })

  it('shows a fenced block as preformatted code, keeping its lines and dropping the fences', async () => {
    const wrapper = await renderText('look:\n```ts\nconst a = 1\nconst b = 2\n```\nnice')
    const block = wrapper.get('pre > code')
    expect(block.element.textContent).toBe('const a = 1\nconst b = 2')
    expect(wrapper.text()).not.toContain('```')
    expect(wrapper.text()).toContain('nice')
  })

  it('marks the viewer\'s own @mentions, whatever their case', async () => {
    const wrapper = await renderText('hey @Ada and @ada!', 'ada')
    const mentions = wrapper.findAll('[data-testid="mention"]')
    expect(mentions.map(mention => mention.text())).toEqual(['@Ada', '@ada'])
    expect(mentions.every(mention => mention.element.tagName === 'MARK')).toBe(true)
    expect(wrapper.text()).toBe('hey @Ada and @ada!')
  })

  it('leaves other people\'s mentions, and mentions inside code, unmarked', async () => {
    const wrapper = await renderText('@bob look at `@ada`', 'ada')
    expect(wrapper.findAll('mark')).toHaveLength(0)
    expect(wrapper.text()).toBe('@bob look at @ada')
  })

  it('draws the markdown people type in chat with plain elements', async () => {
    const wrapper = await renderText('**bold** _it_ ~~gone~~ [docs](https://example.com/d)\n> quoted\n\n- one\n- two\n\n2. second\n\nmail <mailto:ada@example.com>')
    expect(wrapper.get('strong').text()).toBe('bold')
    expect(wrapper.get('em').text()).toBe('it')
    expect(wrapper.get('s').text()).toBe('gone')
    expect(wrapper.get('blockquote').text()).toBe('quoted')
    expect(wrapper.findAll('ul > li').map(item => item.text())).toEqual(['one', 'two'])
    expect(wrapper.get('ol').attributes('start')).toBe('2')
    expect(wrapper.findAll('a').map(link => link.attributes('href'))).toEqual(['https://example.com/d', 'mailto:ada@example.com'])
  })

  it('keeps hostile markdown inert: no script, image, frame or foreign link comes of it', async () => {
    const wrapper = await renderText('[x](javascript:alert(1)) ![i](https://x.test/a.png) <img src=x onerror=alert(1)> **<script>alert(2)</script>** [y](data:text/html,z)')
    expect(wrapper.findAll('script, img, iframe, svg')).toHaveLength(0)
    expect(wrapper.findAll('a').map(link => link.attributes('href'))).toEqual(['https://x.test/a.png'])
    expect(wrapper.get('strong').text()).toBe('<script>alert(2)</script>')
  })

  it('marks nothing for a viewer who is not signed in', async () => {
    const wrapper = await renderText('@ada hello')
    expect(wrapper.findAll('mark')).toHaveLength(0)
  })
})
