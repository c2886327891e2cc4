import { useConfig } from '#server/utils/config/startup'
import { bearerMatches } from '#server/utils/metrics/bearer'
import { renderMetrics } from '#server/utils/metrics/metrics'

/** Prometheus scrape: off (404) unless NUXT_METRICS_TOKEN is set, then only with that bearer token. */
export default defineEventHandler(async (event) => {
  const token = useConfig().metricsToken
  if (!token) throw createError({ statusCode: 404, statusMessage: 'Not Found' })
  if (!bearerMatches(getRequestHeader(event, 'authorization'), token)) {
    setResponseHeader(event, 'www-authenticate', 'Bearer')
    throw createError({ statusCode: 401, statusMessage: 'Unauthorized' })
  }
  const { contentType, body } = await renderMetrics()
  setResponseHeader(event, 'content-type', contentType)
  setResponseHeader(event, 'cache-control', 'no-store')
  return body
})
