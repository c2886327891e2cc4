/**
 * A quick yes for the common case of a Valibot schema, built from the schema itself (so it never drifts from it).
 * `fastCheck(schema)` answers true only for a value the schema accepts unchanged: every key known, no default or
 * transformation applied. Anything it cannot vouch for (an unknown key, a part it does not understand, a value
 * that fails) answers false, and the caller runs the schema, which makes the error. For the hot paths: every
 * message's frame and every event from another instance, where the general validator cost more than the parse.
 */
import type * as v from 'valibot'

type Check = (value: unknown) => boolean

/** The schemas and actions of Valibot 1.x this understands, read from their public fields (`type`, `requirement`, …). */
interface Node {
  kind: 'schema' | 'validation' | 'transformation' | 'metadata'
  type: string
  pipe?: Node[]
  entries?: Record<string, Node>
  item?: Node
  wrapped?: Node
  default?: unknown
  fallback?: unknown
  literal?: unknown
  options?: unknown[]
  key?: string
  requirement?: unknown
}

const NEVER: Check = () => false
const OPTIONAL = new Set(['optional', 'exact_optional', 'nullish'])

export function fastCheck(schema: v.GenericSchema): Check {
  return compile(schema as unknown as Node)
}

/** Whether `fastCheck(schema)` understands every part of the schema, so that a valid plain value takes the quick path. */
export function fastCheckCovers(schema: v.GenericSchema): boolean {
  let covered = true
  compile(schema as unknown as Node, () => (covered = false))
  return covered
}

function compile(node: Node, unsupported: () => void = () => {}): Check {
  const fail = () => {
    unsupported()
    return NEVER
  }
  // A fallback replaces what fails: the value would not come out unchanged.
  if (node.fallback !== undefined) return fail()
  if (node.pipe) {
    // The first step is the schema piped from (itself perhaps a pipe); the others run on its typed value, in order.
    const steps = node.pipe.filter(step => step.kind !== 'metadata').map(step => step.kind === 'schema' ? compile(step, unsupported) : action(step) ?? fail())
    return (value) => {
      for (const step of steps) if (!step(value)) return false
      return true
    }
  }
  switch (node.type) {
    case 'string': return value => typeof value === 'string'
    case 'number': return value => typeof value === 'number' && !Number.isNaN(value)
    case 'boolean': return value => typeof value === 'boolean'
    case 'literal': return value => value === node.literal
    case 'picklist': return value => node.options!.includes(value)
    case 'unknown':
    case 'any': return () => true
    case 'nullable': {
      if (node.default !== undefined) return fail()
      const inner = compile(node.wrapped!, unsupported)
      return value => value === null || inner(value)
    }
    case 'optional':
    case 'exact_optional':
    case 'nullish': {
      if (node.default !== undefined) return fail()
      const inner = compile(node.wrapped!, unsupported)
      // exact_optional allows the key to be missing, not present with undefined (objectCheck sees only present keys).
      if (node.type === 'exact_optional') return inner
      return node.type === 'nullish' ? value => value == null || inner(value) : value => value === undefined || inner(value)
    }
    case 'array': {
      const item = compile(node.item!, unsupported)
      // By index, as the schema reads it: a hole is an undefined item, which `every` would skip.
      return (value) => {
        if (!Array.isArray(value)) return false
        for (let index = 0; index < value.length; index++) if (!item(value[index])) return false
        return true
      }
    }
    case 'object': return objectCheck(node.entries!, unsupported)
    case 'variant': return variantCheck(node, unsupported) ?? fail()
    default: return fail()
  }
}

function objectCheck(entries: Record<string, Node>, unsupported: () => void): Check {
  // The schema asks `key in input`: a key every object inherits (constructor, toString) is never missing to it.
  if (Object.keys(entries).some(key => key in Object.prototype)) {
    unsupported()
    return NEVER
  }
  const checks: Record<string, Check> = Object.create(null)
  const required: Record<string, boolean> = Object.create(null)
  let requiredCount = 0
  for (const [key, entry] of Object.entries(entries)) {
    checks[key] = compile(entry, unsupported)
    // A missing key with a default would be filled in: such a key counts as required here.
    required[key] = !OPTIONAL.has(entry.type) || entry.default !== undefined
    if (required[key]) requiredCount++
  }
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
    // Only plain objects (what JSON.parse makes): inherited keys would count for the schema, not for Object.keys.
    const prototype = Object.getPrototypeOf(value)
    if (prototype !== Object.prototype && prototype !== null) return false
    const record = value as Record<string, unknown>
    let present = 0
    for (const key of Object.keys(record)) {
      // An unknown key would be dropped by the schema: the value is not accepted unchanged.
      const check = checks[key]
      if (check === undefined || !check(record[key])) return false
      if (required[key]) present++
    }
    return present === requiredCount
  }
}

/** A variant whose options are objects told apart by a literal: the option is looked up, not searched for. */
function variantCheck(node: Node, unsupported: () => void): Check | null {
  const byTag = new Map<unknown, Check>()
  for (const option of node.options as Node[]) {
    const tag = option.entries?.[node.key!]
    if (option.type !== 'object' || option.pipe || tag?.type !== 'literal' || tag.pipe || byTag.has(tag.literal)) return null
    byTag.set(tag.literal, compile(option, unsupported))
  }
  return (value) => {
    if (typeof value !== 'object' || value === null) return false
    return byTag.get((value as Record<string, unknown>)[node.key!])?.(value) ?? false
  }
}

function action(step: Node): Check | null {
  if (step.kind !== 'validation') return null
  const requirement = step.requirement
  switch (step.type) {
    case 'min_length': return value => (value as string | unknown[]).length >= (requirement as number)
    case 'max_length': return value => (value as string | unknown[]).length <= (requirement as number)
    case 'min_value': return value => (value as number) >= (requirement as number)
    case 'max_value': return value => (value as number) <= (requirement as number)
    case 'integer': return value => Number.isInteger(value)
    case 'regex': return value => (requirement as RegExp).test(value as string)
    case 'check': return value => Boolean((requirement as (input: unknown) => unknown)(value))
    default: return null
  }
}
