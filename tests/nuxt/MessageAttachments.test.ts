import { afterEach, describe, expect, it } from 'vitest'
import { enableAutoUnmount } from '@vue/test-utils'
import { mountSuspended } from '@nuxt/test-utils/runtime'
import MessageAttachments from '~/components/MessageAttachments.vue'

enableAutoUnmount(afterEach)

const photo = {
  id: 'p1', name: 'beach.jpg', size: 204_800, type: 'image/jpeg', url: '/api/files/p1',
  thumbnailUrl: '/api/files/p1/thumbnail', width: 320, height: 240,
}
const report = { id: 'r1', name: 'report.pdf', size: 1536, type: 'application/octet-stream', url: '/api/files/r1' }

describe('MessageAttachments', () => {
  it('shows an image as its thumbnail, sized, linking to the full image in a new tab', async () => {
    const wrapper = await mountSuspended(MessageAttachments, { props: { attachments: [photo] } })
    const link = wrapper.get('[data-testid="attachment-image"]')
    expect(link.attributes('href')).toBe('/api/files/p1')
    expect(link.attributes('target')).toBe('_blank')
    expect(link.attributes('rel')).toContain('noopener')
    const img = link.get('img')
    expect(img.attributes()).toMatchObject({ src: '/api/files/p1/thumbnail', alt: 'beach.jpg', width: '320', height: '240' })
    expect(wrapper.find('[data-testid="attachment-file"]').exists()).toBe(false)
  })

  it('shows any other file as name, size and type with a download link, never as an image', async () => {
    const wrapper = await mountSuspended(MessageAttachments, { props: { attachments: [report] } })
    const link = wrapper.get('[data-testid="attachment-file"]')
    expect(link.attributes('href')).toBe('/api/files/r1')
    expect(link.attributes('download')).toBe('report.pdf')
    expect(link.text()).toContain('report.pdf')
    expect(link.text()).toContain('1.5 KB')
    expect(link.text()).toContain('application/octet-stream')
    expect(wrapper.find('img').exists()).toBe(false)
  })

  it('shows every attachment of a message', async () => {
    const wrapper = await mountSuspended(MessageAttachments, { props: { attachments: [report, photo] } })
    expect(wrapper.findAll('[data-testid="attachment-image"]')).toHaveLength(1)
    expect(wrapper.findAll('[data-testid="attachment-file"]')).toHaveLength(1)
  })
})
