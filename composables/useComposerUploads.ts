import type { Attachment } from '#shared/protocol'

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
}

/** What the server said, or what went wrong on the way, in a sentence. */
function failureOf(request: XMLHttpRequest): string {
  const body: unknown = request.response
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message
  return request.status === 0 ? 'The upload did not reach the server.' : `The upload failed (${request.status}).`
}

/**
 * The composer's uploads: each file goes to the room at once (XMLHttpRequest, for its upload progress), can be
 * cancelled while on its way, and on failure retried or discarded like a message in the outbox. `take` hands the
 * finished ones to the message being sent.
 */
export function useComposerUploads(room: () => string) {
  const uploads = ref<ComposerUpload[]>([])
  const requests = new Map<string, XMLHttpRequest>()
  let counter = 0

  const update = (key: string, changes: Partial<ComposerUpload>) => {
    uploads.value = uploads.value.map(upload => upload.key === key ? { ...upload, ...changes } : upload)
  }

  function start(upload: ComposerUpload): void {
    const request = new XMLHttpRequest()
    requests.set(upload.key, request)
    request.open('POST', `/api/rooms/${encodeURIComponent(room())}/uploads?name=${encodeURIComponent(upload.name)}`)
    request.setRequestHeader('content-type', upload.file.type || 'application/octet-stream')
    request.responseType = 'json'
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) update(upload.key, { progress: event.loaded / event.total })
    }
    request.onload = () => {
      requests.delete(upload.key)
      const attachment = (request.response as { attachment?: Attachment } | null)?.attachment
      if (request.status === 201 && attachment) update(upload.key, { state: 'done', progress: 1, attachment })
      else update(upload.key, { state: 'failed', error: failureOf(request) })
    }
    request.onerror = () => {
      requests.delete(upload.key)
      update(upload.key, { state: 'failed', error: failureOf(request) })
    }
    request.send(upload.file)
  }

  /** Starts uploading each file (a pasted image without a name is called `pasted image`). */
  function add(files: Iterable<File>): void {
    for (const file of files) {
      const upload: ComposerUpload = { key: `upload-${++counter}`, file, name: file.name || 'pasted image', size: file.size, state: 'uploading', progress: 0 }
      uploads.value = [...uploads.value, upload]
      start(upload)
    }
  }

  /** Stops an upload on its way, or forgets a finished or failed one (it is never sent). */
  function discard(key: string): void {
    requests.get(key)?.abort()
    requests.delete(key)
    uploads.value = uploads.value.filter(upload => upload.key !== key)
  }

  function retry(key: string): void {
    const upload = uploads.value.find(entry => entry.key === key)
    if (!upload || upload.state !== 'failed') return
    update(key, { state: 'uploading', progress: 0, error: undefined })
    start(upload)
  }

  /** The finished uploads, for the message being sent; the composer forgets them. */
  function take(): Attachment[] {
    const done = uploads.value.flatMap(upload => upload.state === 'done' && upload.attachment ? [upload.attachment] : [])
    uploads.value = uploads.value.filter(upload => upload.state !== 'done')
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

  const uploading = computed(() => uploads.value.some(upload => upload.state === 'uploading'))
  const ready = computed(() => uploads.value.filter(upload => upload.state === 'done').length)

  onBeforeUnmount(() => {
    for (const request of requests.values()) request.abort()
    requests.clear()
  })

  return { uploads, add, addPasted, addDropped, discard, retry, take, uploading, ready }
}
