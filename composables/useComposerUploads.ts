import type { Attachment } from '#shared/protocol'
import { useDraftsStore } from '~/stores/drafts'
import { createUploadQueue } from '~/utils/upload-queue'

/** One file the composer is uploading, or has uploaded and will send with the next message. */
export interface ComposerUpload {
  key: string
  file: File
  name: string
  size: number
  state: 'uploading' | 'done' | 'failed'
  /** From 0 to 1, as the browser reports the upload's bytes sent. */
  progress: number
  attachment?: Attachment
  error?: string
  /** Whether trying the failed upload again could work: not for a file the server refused on its merits. */
  retryable?: boolean
}

/** What the server said, or what went wrong on the way, in a sentence. */
function failureOf(request: XMLHttpRequest): string {
  const body: unknown = request.response
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message
  return request.status === 0 ? 'The upload did not reach the server.' : `The upload failed (${request.status}).`
}

/** A failure that may pass by itself: the network, the server's trouble, a wait it asked for. */
const passes = (status: number) => status === 0 || status === 408 || status === 429 || status >= 500

/** Upload keys, unique in the tab: a draft's uploads outlive the composer that started them. */
let counter = 0
/** A few uploads at a time for the whole tab; the others wait (shown at 0%). */
const queue = createUploadQueue()
/** Times an upload the server turned away for now (429 or 503 with Retry-After) is tried again by itself. */
const AUTOMATIC_RETRIES = 3

/** Seconds the server asked to wait before the next try, when it said so. */
function retryAfterSeconds(request: XMLHttpRequest): number | null {
  if (request.status !== 429 && request.status !== 503) return null
  const seconds = Number(request.getResponseHeader('retry-after'))
  return Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) : null
}

/**
 * The uploads of one draft (stores/drafts.ts): each file goes to the room (XMLHttpRequest, for its upload
 * progress; a few at a time, utils/upload-queue.ts), can be cancelled while on its way or waiting, and on failure retried or discarded like a message in the outbox.
 * `take` hands the finished ones to the message being sent. They belong to the draft, not the composer: an upload
 * keeps going when its room or thread is left, and is there on return.
 */
export function useComposerUploads(draft: string, room: () => string) {
  const drafts = useDraftsStore()
  // Read from the store each time, not through a computed of this component: an upload that finishes after the
  // composer is gone still lands in its draft.
  const list = (): ComposerUpload[] => drafts.uploads[draft] ?? []
  const setList = (next: ComposerUpload[]) => drafts.setUploads(draft, next)
  const requests = drafts.requests

  const update = (key: string, changes: Partial<ComposerUpload>) => {
    setList(list().map(upload => upload.key === key ? { ...upload, ...changes } : upload))
  }

  /** Queues the upload; once its turn comes it is sent, and tried again by itself while the server says "later". */
  function start(upload: ComposerUpload, retriesLeft = AUTOMATIC_RETRIES): void {
    const target = room()
    queue.enqueue(upload.key, done => send(upload, target, retriesLeft, done))
  }

  function send(upload: ComposerUpload, target: string, retriesLeft: number, done: () => void): void {
    const request = new XMLHttpRequest()
    requests.set(upload.key, request)
    request.open('POST', `/api/rooms/${encodeURIComponent(target)}/uploads?name=${encodeURIComponent(upload.name)}`)
    request.setRequestHeader('content-type', upload.file.type || 'application/octet-stream')
    request.responseType = 'json'
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) update(upload.key, { progress: event.loaded / event.total })
    }
    request.onload = () => {
      requests.delete(upload.key)
      done()
      const attachment = (request.response as { attachment?: Attachment } | null)?.attachment
      const wait = retryAfterSeconds(request)
      if (request.status === 201 && attachment) update(upload.key, { state: 'done', progress: 1, attachment })
      else if (wait !== null && retriesLeft > 0) later(upload, wait, retriesLeft - 1)
      else update(upload.key, { state: 'failed', error: failureOf(request), retryable: passes(request.status) })
    }
    request.onerror = () => {
      requests.delete(upload.key)
      done()
      update(upload.key, { state: 'failed', error: failureOf(request), retryable: true })
    }
    request.onabort = done
    request.send(upload.file)
  }

  /** Tries again after the server's wait, unless the upload was discarded meanwhile. */
  function later(upload: ComposerUpload, seconds: number, retriesLeft: number): void {
    update(upload.key, { progress: 0 })
    setTimeout(() => {
      if (list().some(entry => entry.key === upload.key && entry.state === 'uploading')) start(upload, retriesLeft)
    }, seconds * 1000)
  }

  /** Starts uploading each file (a pasted image without a name is called `pasted image`); an empty one is refused here. */
  function add(files: Iterable<File>): void {
    for (const file of files) {
      const upload: ComposerUpload = { key: `upload-${++counter}`, file, name: file.name || 'pasted image', size: file.size, state: 'uploading', progress: 0 }
      if (file.size === 0) {
        setList([...list(), { ...upload, state: 'failed', error: 'The file is empty.', retryable: false }])
        continue
      }
      setList([...list(), upload])
      start(upload)
    }
  }

  /** Stops an upload on its way, or forgets a finished or failed one (it is never sent). */
  function discard(key: string): void {
    queue.cancel(key)
    requests.get(key)?.abort()
    requests.delete(key)
    setList(list().filter(upload => upload.key !== key))
  }

  function retry(key: string): void {
    const upload = list().find(entry => entry.key === key)
    if (!upload || upload.state !== 'failed' || !upload.retryable) return
    update(key, { state: 'uploading', progress: 0, error: undefined })
    start(upload)
  }

  /** The finished uploads, for the message being sent; the composer forgets them. */
  function take(): Attachment[] {
    const done = list().flatMap(upload => upload.state === 'done' && upload.attachment ? [upload.attachment] : [])
    setList(list().filter(upload => upload.state !== 'done'))
    return done
  }

  /** A pasted image (or any pasted file) uploads; pasted text is left to the field. */
  function addPasted(event: ClipboardEvent): void {
    const pasted = [...(event.clipboardData?.files ?? [])]
    if (pasted.length === 0) return
    event.preventDefault()
    add(pasted)
  }

  /** Files dropped onto the composer upload (the form prevents the browser from opening them). */
  function addDropped(event: DragEvent): void {
    add(event.dataTransfer?.files ?? [])
  }

  const uploads = computed(list)
  const uploading = computed(() => list().some(upload => upload.state === 'uploading'))
  const ready = computed(() => list().filter(upload => upload.state === 'done').length)

  return { uploads, add, addPasted, addDropped, discard, retry, take, uploading, ready }
}
