/** Any /api path no route serves: a JSON 404 like every other API refusal, not the app's HTML page. */
export default defineEventHandler(() => {
  throw httpError(404, 'not_found', 'There is no such API route.')
})
