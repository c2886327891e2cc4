import { hostname } from 'node:os'
import { consola } from 'consola'
import pino from 'pino'
import type { LogLevel } from '../config/values'

/** Extra fields of a log line. Never a secret, a cookie or message text. */
export type LogFields = Record<string, unknown>

type Level = Exclude<LogLevel, 'silent'>
type Write = (level: Level, event: string, message: string, fields?: LogFields) => void

/** Names this process in logs, health and metrics unless NUXT_INSTANCE_ID does. */
export const defaultInstanceId = (): string => `${hostname()}-${process.pid}`

let instance = defaultInstanceId()

/**
 * JSON lines (pino): time, level, instance, event, msg and fields; an error goes under `err` with its
 * stack inside that one field, so one error is one line. Written synchronously: a line logged just before
 * process.exit (a shutdown deadline) is not lost.
 */
function jsonWriter(level: LogLevel): Write {
  const logger = pino({
    level,
    base: { instance },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: label => ({ level: label }) },
  }, pino.destination({ dest: 1, sync: true }))
  return (lineLevel, event, message, fields) => logger[lineLevel]({ event, ...fields }, message)
}

const ORDER: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']

/** `nuxt dev` stays readable for people: consola's own output. */
function devWriter(level: LogLevel): Write {
  const tagged = consola.withTag('banter')
  const threshold = ORDER.indexOf(level)
  return (lineLevel, event, message, fields) => {
    if (ORDER.indexOf(lineLevel) < threshold) return
    const method = lineLevel === 'fatal' ? 'error' : lineLevel
    if (fields && Object.keys(fields).length > 0) tagged[method](`${message} [${event}]`, fields)
    else tagged[method](`${message} [${event}]`)
  }
}

let write: Write = import.meta.dev ? devWriter('info') : jsonWriter('info')

/** Sets the level (NUXT_LOG_LEVEL) and the instance name, once the configuration is checked. */
export function configureLogger(level: LogLevel, instanceId: string): void {
  instance = instanceId
  write = import.meta.dev ? devWriter(level) : jsonWriter(level)
}

export function instanceId(): string {
  return instance
}

/** banter's server log: `log.warn('redis-error', 'Redis is unreachable', { err })`. */
export const log = {
  trace: (event: string, message: string, fields?: LogFields) => write('trace', event, message, fields),
  debug: (event: string, message: string, fields?: LogFields) => write('debug', event, message, fields),
  info: (event: string, message: string, fields?: LogFields) => write('info', event, message, fields),
  warn: (event: string, message: string, fields?: LogFields) => write('warn', event, message, fields),
  error: (event: string, message: string, fields?: LogFields) => write('error', event, message, fields),
  fatal: (event: string, message: string, fields?: LogFields) => write('fatal', event, message, fields),
}
