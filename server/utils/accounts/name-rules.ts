/**
 * Name rules (issue 12, "Names people can trust"). Pure functions, server-only.
 *
 * Skeleton (`nameSkeleton`, the `key` of every check; usernames are unique on it):
 *   NFKC; drop default-ignorable code points and bidi controls; blank runs (White_Space, U+2800) become one space,
 *   trimmed; then repeat "case fold, UTS #39 skeleton (NFD, confusables.txt map, NFD)" until stable, so a prototype
 *   that is itself upper case folds too (`0` -> `O` -> `o`). Two extensions to UTS #39, both so that no two usernames
 *   look alike: `i` and `l` share a key (case folding turns `I`, which confusables.txt maps to `l`, into `i`; without
 *   this `aIice` would pass next to `alice`), and `.` `_` `-` are one separator (`ada.lovelace` = `ada_lovelace`).
 *   The confusables data is unhomoglyph's copy of Unicode's confusables.txt, pinned: new data changes stored keys.
 *
 * Usernames (`checkUsername`, what @mentions use): outer whitespace trimmed; refused if they contain bidi controls,
 *   control characters, default-ignorables or blank-looking characters, or inner spaces. The stored value is NFKC and
 *   lower case (mentions are case-insensitive, and a capital shown in a username is where look-alikes hide, e.g.
 *   Cyrillic `ВОВ` vs `BOB`). Then: 2 to 32 code points; only letters, marks, decimal digits and `.` `_` `-`; at least
 *   one letter or digit; no separator first, last or next to another; a mark only after a letter, digit or mark, at
 *   most 4 in a row; letters and digits only from UAX #31's recommended scripts, and from one of them (UTS #39
 *   "highly restrictive": single script, or Latin with Han and Hiragana/Katakana, Bopomofo or Hangul; Common and
 *   Inherited characters count for every script); and every character Identifier_Status=Allowed in UTS #39 (so no
 *   obsolete, technical or phonetic letters such as `ƅ`, `ɵ`, `ʟ`, `ᴀ`: they are where look-alikes that
 *   confusables.txt does not list hide; Unicode 17 also counts Bopomofo as Limited_Use). The data is Unicode's IdentifierStatus.txt, generated into
 *   identifier-status.generated.ts by scripts/make-identifier-status.mjs; new data can refuse new names that passed
 *   before, never an existing account's key: sign-in looks names up with `lookupUsername`, which skips this rule.
 *
 * Display names (`checkDisplayName`, may repeat): refused if they contain bidi controls (Arabic and Hebrew names need
 *   none: the UI isolates names), control characters, unassigned, private-use or lone-surrogate code points. The
 *   stored value is NFC (styled letters stay as typed; the key sees through them) with default-ignorables removed,
 *   except ZWJ, variation selectors and tag characters inside an emoji grapheme (so 👩‍💻 and 🏴󠁧󠁢󠁳󠁣󠁴󠁿 survive); blank runs
 *   become one space, trimmed. Then: at least one visible letter, digit, punctuation or symbol; 1 to 32 graphemes and
 *   at most 128 code points; at most 4 marks in a row.
 *
 * `usernameFromDisplayName` makes a username from a guest's typed name: blank runs become `-`, everything a username
 *   may not hold is dropped, separator runs shrink to one, leading/trailing separators go, it is cut to 32 code
 *   points, then `checkUsername` decides (it can still refuse, e.g. a one-letter or mixed-script name).
 */
import unhomoglyph from 'unhomoglyph'
import { ALLOWED_RANGES } from './identifier-status.generated'

/** The answer of every name check: the value to store and its uniqueness key, or a message to show the user. */
export type NameCheck = { ok: true, value: string, key: string } | { ok: false, message: string }

const USERNAME_MIN = 2
const USERNAME_MAX = 32
const DISPLAY_NAME_MAX = 32
const DISPLAY_NAME_MAX_CODE_POINTS = 128
const MAX_MARKS_IN_A_ROW = 4
/** Longer input is refused before any Unicode work is done on it. */
const MAX_RAW_LENGTH = 1000

const BIDI_CONTROL = /\p{Bidi_Control}/u
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u
const CONTROL = /\p{Cc}/u
/** Shown as blank space although not White_Space: BRAILLE PATTERN BLANK, MUSICAL SYMBOL NULL NOTEHEAD. */
const BLANK = /[\p{White_Space}\u2800\u{1D159}]/u
const WHITE_SPACE = /\p{White_Space}/u
const BLANK_RUNS = /[\p{White_Space}\u2800\u{1D159}]+/gu
const INVISIBLE_ALL = /[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/gu
const UNSHOWABLE = /[\p{Cs}\p{Co}\p{Cn}]/u
const SEPARATOR = /[._-]/
const MARK = /\p{M}/u
const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u
const USERNAME_CHAR = /[\p{L}\p{M}\p{Nd}._-]/u
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u
/** Common and Inherited characters (digits, `-`, combining accents) belong to every script. */
const SCRIPT_NEUTRAL = /[\p{scx=Zyyy}\p{scx=Zinh}]/u
const EMOJI = /[\p{Extended_Pictographic}\u20E3]/u

/** UAX #31 table 4, recommended scripts: ISO 15924 code -> English name for messages. */
const RECOMMENDED_SCRIPTS: Record<string, string> = {
  Arab: 'Arabic', Armn: 'Armenian', Beng: 'Bengali', Bopo: 'Bopomofo', Cyrl: 'Cyrillic', Deva: 'Devanagari',
  Ethi: 'Ethiopic', Geor: 'Georgian', Grek: 'Greek', Gujr: 'Gujarati', Guru: 'Gurmukhi', Hani: 'Han',
  Hang: 'Hangul', Hebr: 'Hebrew', Hira: 'Hiragana', Kana: 'Katakana', Khmr: 'Khmer', Knda: 'Kannada', Laoo: 'Lao',
  Latn: 'Latin', Mlym: 'Malayalam', Mymr: 'Myanmar', Orya: 'Odia', Sinh: 'Sinhala', Taml: 'Tamil',
  Telu: 'Telugu', Thaa: 'Thaana', Thai: 'Thai', Tibt: 'Tibetan',
}
const SCRIPT_TESTS = Object.keys(RECOMMENDED_SCRIPTS).map(code => [code, new RegExp(`\\p{scx=${code}}`, 'u')] as const)
/** Whether UTS #39 gives the code point Identifier_Status=Allowed (a binary search of the generated ranges). */
function isAllowedInIdentifiers(c: string): boolean {
  const code = c.codePointAt(0)!
  let low = 0
  let high = ALLOWED_RANGES.length / 2 - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    if (code < ALLOWED_RANGES[2 * mid]!) high = mid - 1
    else if (code > ALLOWED_RANGES[2 * mid + 1]!) low = mid + 1
    else return true
  }
  return false
}

/** UTS #39 "highly restrictive" allows these mixes besides a single script. */
const SCRIPT_MIXES = [['Latn', 'Hani', 'Hira', 'Kana'], ['Latn', 'Hani', 'Bopo'], ['Latn', 'Hani', 'Hang']]

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })

const refuse = (message: string): NameCheck => ({ ok: false, message })
const codePoints = (s: string) => [...s]
/** Full case folding, near enough: lowering after upper-casing folds `ß`/`ẞ` to `ss` and `ς` to `σ`. */
const fold = (s: string) => s.toLowerCase().toUpperCase().toLowerCase()

/** The UTS #39 skeleton after NFKC + case folding + removal of default-ignorables and bidi controls. */
export function nameSkeleton(raw: string): string {
  let s = raw.normalize('NFKC').replace(INVISIBLE_ALL, '').replace(BLANK_RUNS, ' ').trim()
  for (let round = 0; round < 4; round++) {
    const next = unhomoglyph(fold(s).normalize('NFD')).normalize('NFD')
    if (next === s) break
    s = next
  }
  return s.replace(/i/g, 'l').replace(/[._-]/g, '-')
}

/** The first reason, if any, why `s` holds something that displays differently from what it is. */
function hiddenCharacterProblem(s: string, what: 'A username' | 'A display name'): string | undefined {
  if (BIDI_CONTROL.test(s)) {
    return `${what} can't contain text-direction control characters: they make a name display as something it isn't.`
  }
  // White_Space controls (tab, newline) are blanks, handled by the callers.
  if (codePoints(s).some(c => CONTROL.test(c) && !BLANK.test(c))) return `${what} can't contain control characters.`
  return undefined
}

function marksProblem(s: string, what: 'A username' | 'A display name'): string | undefined {
  let run = 0
  for (const c of s) {
    run = MARK.test(c) && !DEFAULT_IGNORABLE.test(c) ? run + 1 : 0
    if (run > MAX_MARKS_IN_A_ROW) return `${what} can't stack more than ${MAX_MARKS_IN_A_ROW} accents on one letter.`
  }
  return undefined
}

/** Recommended scripts a letter or digit belongs to: null for Common/Inherited, [] for an unsupported script. */
function scriptsOf(c: string): string[] | null {
  if (SCRIPT_NEUTRAL.test(c)) return null
  return SCRIPT_TESTS.filter(([, re]) => re.test(c)).map(([code]) => code)
}

function scriptProblem(value: string): string | undefined {
  const sets: string[][] = []
  for (const c of value) {
    const scripts = scriptsOf(c)
    if (scripts === null) continue
    if (scripts.length === 0) return `“${c}” is from a writing system that usernames don't support.`
    sets.push(scripts)
  }
  const covers = [...new Set(sets.flat())].map(code => [code]).concat(SCRIPT_MIXES)
  if (sets.length === 0 || covers.some(cover => sets.every(set => set.some(code => cover.includes(code))))) {
    return undefined
  }
  const names = [...new Set(sets.map(set => RECOMMENDED_SCRIPTS[set[0]!]))]
  return `A username can't mix writing systems (${names.join(' and ')}): mixing them lets one name pass for another.`
}

/** A username: what @mentions use. value = NFKC, lower case; key = its skeleton (unique among accounts). */
export function checkUsername(raw: string): NameCheck {
  const check = lookupUsername(raw)
  if (!check.ok) return check
  const restricted = codePoints(check.value).find(c => !isAllowedInIdentifiers(c))
  if (restricted) {
    return refuse(`A username can't use “${restricted}”: it is a rare or technical letter that is easily taken for another.`)
  }
  return check
}

/**
 * A typed username as sign-in looks its account up: `checkUsername` without the Identifier_Status rule, so an
 * account named before that rule (or before new Unicode data narrowed it) can still sign in.
 */
export function lookupUsername(raw: string): NameCheck {
  if (raw.length > MAX_RAW_LENGTH) return refuse(`A username can be at most ${USERNAME_MAX} characters long.`)
  const trimmed = raw.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '')
  const hidden = hiddenCharacterProblem(trimmed, 'A username')
  if (hidden) return refuse(hidden)
  const value = trimmed.normalize('NFKC').toLowerCase().normalize('NFKC')
  const chars = codePoints(value)
  if ([...trimmed, ...chars].some(c => DEFAULT_IGNORABLE.test(c) || (BLANK.test(c) && !WHITE_SPACE.test(c)))) {
    return refuse('A username can\'t contain invisible characters (such as zero-width spaces or blank fillers).')
  }
  if (chars.some(c => BLANK.test(c))) return refuse('A username can\'t contain spaces: use “-”, “_” or “.” instead.')
  if (chars.length < USERNAME_MIN || chars.length > USERNAME_MAX) {
    return refuse(`A username must be ${USERNAME_MIN} to ${USERNAME_MAX} characters long.`)
  }
  const stranger = chars.find(c => !USERNAME_CHAR.test(c))
  if (stranger) return refuse(`A username can only contain letters, digits, “.”, “_” and “-” (not “${stranger}”).`)
  if (!chars.some(c => LETTER_OR_DIGIT.test(c))) return refuse('A username needs at least one letter or digit.')
  if (SEPARATOR.test(chars[0]!) || SEPARATOR.test(chars.at(-1)!) || /[._-]{2}/.test(value)) {
    return refuse('A username can\'t start or end with “.”, “_” or “-”, or have two of them in a row.')
  }
  if (chars.some((c, i) => MARK.test(c) && (i === 0 || SEPARATOR.test(chars[i - 1]!)))) {
    return refuse('An accent in a username must follow a letter or digit.')
  }
  const problem = marksProblem(value, 'A username') ?? scriptProblem(value)
  if (problem) return refuse(problem)
  return { ok: true, value, key: nameSkeleton(value) }
}

/** Default-ignorables removed, except those that hold an emoji sequence together inside its grapheme. */
function stripIgnorables(s: string): string {
  let out = ''
  for (const { segment } of graphemes.segment(s)) {
    if (!EMOJI.test(segment)) {
      out += segment.replace(INVISIBLE_ALL, '')
      continue
    }
    const cps = codePoints(segment)
    const tagged = cps.at(-1) === '\u{E007F}'
    out += cps.filter((c, i) => !DEFAULT_IGNORABLE.test(c)
      || c === '\uFE0E' || c === '\uFE0F'
      || (c === '\u200D' && i < cps.length - 1)
      || (tagged && c >= '\u{E0020}' && c <= '\u{E007F}')).join('')
  }
  return out
}

/** A display name (may repeat between accounts, may contain spaces); value = cleaned NFC name, key = its skeleton. */
export function checkDisplayName(raw: string): NameCheck {
  if (raw.length > MAX_RAW_LENGTH) return refuse(`A display name can be at most ${DISPLAY_NAME_MAX} characters long.`)
  const hidden = hiddenCharacterProblem(raw, 'A display name')
  if (hidden) return refuse(hidden)
  if (UNSHOWABLE.test(raw)) return refuse('A display name can\'t contain characters that have no standard look.')
  const value = stripIgnorables(raw.normalize('NFC')).replace(BLANK_RUNS, ' ').trim()
  if (!VISIBLE.test(value)) return refuse('A display name needs at least one visible character.')
  const length = [...graphemes.segment(value)].length
  if (length > DISPLAY_NAME_MAX || codePoints(value).length > DISPLAY_NAME_MAX_CODE_POINTS) {
    return refuse(`A display name can be at most ${DISPLAY_NAME_MAX} characters long.`)
  }
  const problem = marksProblem(value, 'A display name')
  if (problem) return refuse(problem)
  return { ok: true, value, key: nameSkeleton(value) }
}

/** A username derived from a guest's typed name ("Ada Lovelace" -> "ada-lovelace"), then checkUsername. */
export function usernameFromDisplayName(raw: string): NameCheck {
  if (raw.length > MAX_RAW_LENGTH) return checkUsername(raw)
  const cleaned = raw.normalize('NFKC')
    .replace(INVISIBLE_ALL, '')
    .trim()
    .replace(BLANK_RUNS, '-')
    .replace(/[^\p{L}\p{M}\p{Nd}._-]/gu, '')
    .replace(/[._-]{2,}/g, run => run.includes('-') ? '-' : run[0]!)
    .replace(/^[\p{M}._-]+/u, '')
  const cut = codePoints(cleaned).slice(0, USERNAME_MAX).join('').replace(/[._-]+$/, '')
  return checkUsername(cut)
}
