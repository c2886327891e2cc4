import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  checkDisplayName,
  checkUsername,
  lookupUsername,
  nameSkeleton,
  type NameCheck,
  usernameFromDisplayName,
} from '../../../../server/utils/accounts/name-rules'

function accepted(check: NameCheck) {
  if (!check.ok) throw new Error(`refused: ${check.message}`)
  return check
}

function refusal(check: NameCheck) {
  if (check.ok) throw new Error(`accepted: ${check.value}`)
  return check.message
}

describe('nameSkeleton', () => {
  it.each([
    ['Cyrillic а', '\u0430lice'],
    ['upper case', 'ALICE'],
    ['mixed case', 'AlIcE'],
    ['fullwidth', 'ａｌｉｃｅ'],
    ['zero-width space', 'al\u200Bice'],
    ['soft hyphen', 'ali\u00ADce'],
    ['capital I for l', 'aIice'],
    ['digit 1 for l', 'a1ice'],
    ['mathematical bold', '𝐚𝐥𝐢𝐜𝐞'],
  ])('maps %s to the key of alice', (_, name) => {
    expect(nameSkeleton(name)).toBe(nameSkeleton('alice'))
  })

  it('follows confusables.txt for rn/m, l/I/1/| and 0/O', () => {
    expect(nameSkeleton('rn')).toBe(nameSkeleton('m'))
    expect(new Set(['l', 'I', '1', '|', 'i'].map(nameSkeleton)).size).toBe(1)
    expect(nameSkeleton('b0b')).toBe(nameSkeleton('BOB'))
    expect(nameSkeleton('b0b')).toBe(nameSkeleton('bob'))
  })

  it('treats . _ - as one separator and any blank run as one space', () => {
    expect(nameSkeleton('ada.lovelace')).toBe(nameSkeleton('ada_lovelace'))
    expect(nameSkeleton('ada.lovelace')).toBe(nameSkeleton('ada-lovelace'))
    expect(nameSkeleton(' Ada \u00A0\u3000 Lovelace ')).toBe(nameSkeleton('ada lovelace'))
  })

  it('folds case fully (ß, ẞ and ss share a key; so do ς and σ)', () => {
    expect(nameSkeleton('straße')).toBe(nameSkeleton('STRASSE'))
    expect(nameSkeleton('STRAẞE')).toBe(nameSkeleton('strasse'))
    expect(nameSkeleton('ς')).toBe(nameSkeleton('Σ'))
  })

  it('keeps ordinary different names apart', () => {
    const names = ['alice', 'bob', 'carol', 'dave', 'eve', 'mallory', 'ada', 'adam', 'alic', 'alicia', 'bo', 'ob',
      'grace', 'linus', 'ken', 'dennis', 'zoë', 'zoe1', 'юлия', 'ольга', '山田', '太郎', 'ada-lovelace', 'adalovelace']
    expect(new Set(names.map(nameSkeleton)).size).toBe(names.length)
  })
})

describe('checkUsername', () => {
  it('accepts an ordinary name, storing it NFKC and lower case with its skeleton as key', () => {
    expect(checkUsername('Alice')).toEqual({ ok: true, value: 'alice', key: nameSkeleton('alice') })
    expect(accepted(checkUsername('  ada.lovelace_2 ')).value).toBe('ada.lovelace_2')
    expect(accepted(checkUsername('ａｌｉｃｅ')).value).toBe('alice')
  })

  it('accepts names in one script, with accents, digits and separators', () => {
    for (const name of ['zoë', 'José-María', 'юлия', 'Ελένη', '山田太郎', 'やまだ', 'عمر', 'דוד', 'नमस्ते', 'r2-d2', '42']) {
      accepted(checkUsername(name))
    }
    accepted(checkUsername('tanaka山田やまだ')) // Latin + Han + Hiragana is a UTS #39 "highly restrictive" mix
  })

  it('gives the attack names of the issue the key of alice, or refuses them', () => {
    const alice = nameSkeleton('alice')
    const cyrillic = checkUsername('\u0430lice')
    expect(refusal(cyrillic)).toMatch(/mix writing systems \(Cyrillic and Latin\)/)
    expect(nameSkeleton('\u0430lice')).toBe(alice)
    expect(refusal(checkUsername('al\u200Bice'))).toMatch(/invisible characters/)
    expect(refusal(checkUsername('\u202Eecila'))).toMatch(/text-direction control/)
    expect(accepted(checkUsername('ALICE')).key).toBe(alice)
    expect(accepted(checkUsername('ａｌｉｃｅ')).key).toBe(alice)
    expect(accepted(checkUsername('aIice')).key).toBe(alice)
  })

  it.each([
    ['LRM', 'alice\u200E'], ['RLM', 'ali\u200Fce'], ['LRI', '\u2066alice'], ['PDI', 'alice\u2069'],
    ['Arabic letter mark', 'al\u061Cice'], ['LRE', '\u202Aalice'],
  ])('refuses the bidi control %s', (_, name) => {
    expect(refusal(checkUsername(name))).toMatch(/text-direction control/)
  })

  it.each([
    ['ZWJ', 'ali\u200Dce'], ['ZWNJ', 'ali\u200Cce'], ['BOM', '\uFEFFalice'], ['soft hyphen', 'ali\u00ADce'],
    ['variation selector', 'alice\uFE0F'], ['tag', 'alice\u{E0041}'], ['Hangul filler', 'alice\u3164'],
    ['Hangul choseong filler', 'a\u115Fb'], ['halfwidth Hangul filler', 'a\uFFA0b'], ['word joiner', 'a\u2060b'],
    ['braille blank', 'a\u2800b'], ['combining grapheme joiner', 'a\u034Fb'],
  ])('refuses the invisible %s', (_, name) => {
    expect(refusal(checkUsername(name))).toMatch(/invisible characters/)
  })

  it('refuses empty-looking names', () => {
    expect(refusal(checkUsername('\u3164'))).toMatch(/invisible/)
    expect(refusal(checkUsername('\u3164\u3164\u3164'))).toMatch(/invisible/)
    expect(refusal(checkUsername('\u200B\u200B'))).toMatch(/invisible/)
    expect(refusal(checkUsername('   '))).toMatch(/2 to 32 characters/)
    expect(refusal(checkUsername(''))).toMatch(/2 to 32 characters/)
    expect(refusal(checkUsername('-_.'))).toMatch(/letter or digit/)
  })

  it('refuses spaces, control characters, symbols and bad separators', () => {
    expect(refusal(checkUsername('ada lovelace'))).toMatch(/can't contain spaces/)
    expect(refusal(checkUsername('ada\u00A0lovelace'))).toMatch(/can't contain spaces/)
    expect(refusal(checkUsername('ada\tlovelace'))).toMatch(/can't contain spaces/)
    expect(refusal(checkUsername('ada\u0007'))).toMatch(/control characters/)
    expect(refusal(checkUsername('ada@home'))).toMatch(/not “@”/)
    expect(refusal(checkUsername('ada😀'))).toMatch(/not “😀”/)
    for (const name of ['-ada', 'ada.', '_ada', 'ada..lovelace', 'ada-_lovelace']) {
      expect(refusal(checkUsername(name))).toMatch(/start or end/)
    }
    expect(refusal(checkUsername('\u0301ada'))).toMatch(/accent .* must follow/)
    expect(refusal(checkUsername('x\u0301\u0302\u0303\u0304\u0305'))).toMatch(/more than 4 accents/)
  })

  it('refuses too short and too long names, counting after normalization', () => {
    expect(refusal(checkUsername('a'))).toMatch(/2 to 32/)
    accepted(checkUsername('ab'))
    accepted(checkUsername('a'.repeat(32)))
    expect(refusal(checkUsername('a'.repeat(33)))).toMatch(/2 to 32/)
    expect(refusal(checkUsername('a'.repeat(5000)))).toMatch(/at most 32/)
  })

  it('refuses mixed scripts and scripts outside the recommended set', () => {
    expect(refusal(checkUsername('pаypal'))).toMatch(/Cyrillic and Latin|Latin and Cyrillic/)
    expect(refusal(checkUsername('αlpha'))).toMatch(/Greek and Latin/)
    expect(refusal(checkUsername('ᎪᏞᎥᏟᎬ'))).toMatch(/writing system that usernames don't support/)
  })

  it.each([
    ['LATIN SMALL LETTER TONE SIX', 'boƅ'], ['LATIN SMALL LETTER BARRED O', 'bɵb'],
    ['LATIN SMALL LETTER REVERSED E', 'alicɘ'], ['LATIN SMALL LETTER R WITH LONG LEG', 'owneɼ'],
    ['LATIN LETTER SMALL CAPITAL L', 'aʟice'], ['LATIN LETTER SMALL CAPITAL R', 'caʀol'],
    ['LATIN LETTER SMALL CAPITAL A', 'ᴀlice'], ['LATIN SMALL LETTER INSULAR L', 'aꞁice'],
    ['COMBINING OVERLINE', 'ali\u0305ce'], ['GREEK SMALL LETTER ARCHAIC KOPPA', 'ϙλ'],
  ])('refuses a letter whose UTS #39 Identifier_Status is not Allowed: %s', (_, name) => {
    expect(refusal(checkUsername(name))).toMatch(/can't use “.+”: it is a rare or technical letter/)
  })

  it('still finds an account named before the Identifier_Status rule, by the same key', () => {
    expect(lookupUsername('aʟice')).toEqual({ ok: true, value: 'aʟice', key: nameSkeleton('aʟice') })
    expect(lookupUsername('Alice')).toEqual(checkUsername('Alice'))
    expect(refusal(lookupUsername('al\u200Bice'))).toMatch(/invisible characters/)
  })

  it('keeps letters that Identifier_Status allows, in every recommended script', () => {
    for (const name of ['zoë', 'josé', 'françois', 'łukasz', 'şükrü', 'nguyễn', 'ɓello', 'ɗan', 'ŋoma',
      'владимир', 'ґанна', 'σοφία', 'αθηνά', 'محمد', 'فاطمة', 'हिन्दी', 'বাংলা', 'ਪੰਜਾਬੀ', 'தமிழ்', 'తెలుగు', 'ಕನ್ನಡ',
      'മലയാളം', 'ગુજરાતી', 'ଓଡ଼ିଆ', 'සිංහල', 'ไทย', 'ລາວ', 'ខ្មែរ', 'မြန်မာ', 'ქართული', 'հայերեն', 'አማርኛ', 'བོད',
      'ދިވެހި', '김철수', '中文名字', 'カタカナ', 'ひらがな', 'שלום']) {
      accepted(checkUsername(name))
    }
  })

  it('lets digits and separators go with any script', () => {
    accepted(checkUsername('юлия-2000'))
    accepted(checkUsername('山田_1'))
  })
})

describe('checkDisplayName', () => {
  it('trims and collapses blanks, keeping case and styled letters (NFC)', () => {
    const check = accepted(checkDisplayName('  Ada \u00A0\t Lovelace\u2800 '))
    expect(check.value).toBe('Ada Lovelace')
    expect(check.key).toBe(nameSkeleton('ada lovelace'))
    expect(accepted(checkDisplayName('ｱﾀﾞ')).value).toBe('ｱﾀﾞ')
    expect(accepted(checkDisplayName('e\u0301')).value).toBe('é')
  })

  it('drops lone invisible characters but keeps emoji sequences whole', () => {
    expect(accepted(checkDisplayName('Al\u200Bi\u00ADce\uFEFF')).value).toBe('Alice')
    expect(accepted(checkDisplayName('a\u200Db')).value).toBe('ab')
    const coder = '\u{1F469}\u200D\u{1F4BB}'
    expect(accepted(checkDisplayName(`Ada ${coder}`)).value).toBe(`Ada ${coder}`)
    const scotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}'
    expect(accepted(checkDisplayName(scotland)).value).toBe(scotland)
    expect(accepted(checkDisplayName('\u2764\uFE0F')).value).toBe('\u2764\uFE0F')
    expect(accepted(checkDisplayName('1\uFE0F\u20E3')).value).toBe('1\uFE0F\u20E3')
    expect(accepted(checkDisplayName('\u{1F44D}\u200D')).value).toBe('\u{1F44D}')
  })

  it('refuses names that are empty or invisible', () => {
    for (const name of ['', '   ', '\u3164', '\u3164 \u3164', '\u200B', '\u200B\u200C\u200D', '\u2800\u2800', '\uFEFF',
      '\u115F\u1160', '\u0301']) {
      expect(refusal(checkDisplayName(name))).toMatch(/at least one visible character/)
    }
  })

  it('refuses bidi controls, control characters and unshowable code points', () => {
    expect(refusal(checkDisplayName('\u202Eecila'))).toMatch(/text-direction control/)
    expect(refusal(checkDisplayName('Ada\u200F'))).toMatch(/text-direction control/)
    expect(refusal(checkDisplayName('Ada\u0000'))).toMatch(/control characters/)
    expect(refusal(checkDisplayName('Ada\uE000'))).toMatch(/no standard look/)
    expect(refusal(checkDisplayName('Ada\uD800'))).toMatch(/no standard look/)
  })

  it('accepts right-to-left scripts without controls, and up to 32 graphemes', () => {
    accepted(checkDisplayName('עמר כהן'))
    accepted(checkDisplayName('x'.repeat(32)))
    accepted(checkDisplayName('\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}'.repeat(16)))
    expect(refusal(checkDisplayName('x'.repeat(33)))).toMatch(/at most 32/)
    expect(refusal(checkDisplayName('x\u0301\u0302\u0303\u0304\u0305'))).toMatch(/more than 4 accents/)
  })

  it('lets display names repeat but shows look-alikes by key', () => {
    expect(accepted(checkDisplayName('AIice')).key).toBe(accepted(checkDisplayName('alice')).key)
  })
})

describe('usernameFromDisplayName', () => {
  it.each([
    ['Ada Lovelace', 'ada-lovelace'],
    ['  Grace   Hopper  ', 'grace-hopper'],
    ['Dr. Who?', 'dr-who'],
    ['Zoë (she/her)', 'zoë-sheher'],
    ['Ada 😀 Lovelace', 'ada-lovelace'],
    ['Al\u200Bice', 'alice'],
    ['山田 太郎', '山田-太郎'],
  ])('%s -> %s', (typed, username) => {
    expect(accepted(usernameFromDisplayName(typed)).value).toBe(username)
  })

  it('cuts long names to 32 code points without a trailing separator', () => {
    const value = accepted(usernameFromDisplayName(`${'a'.repeat(31)} bcd`)).value
    expect(value).toBe('a'.repeat(31))
  })

  it('refuses what cannot become a username', () => {
    expect(refusal(usernameFromDisplayName('A'))).toMatch(/2 to 32/)
    expect(refusal(usernameFromDisplayName('😀😀'))).toMatch(/2 to 32/)
    expect(refusal(usernameFromDisplayName('Ada Лавлейс'))).toMatch(/mix writing systems/)
  })
})

describe('properties', () => {
  const name = fc.string({ unit: 'binary', maxLength: 40 })

  it('an accepted username keeps its key when checked again, and its key is the skeleton of what was typed', () => {
    fc.assert(fc.property(name, (raw) => {
      const check = checkUsername(raw)
      if (!check.ok) return
      expect(checkUsername(check.value)).toEqual(check)
      expect(nameSkeleton(raw)).toBe(check.key)
    }), { numRuns: 2000 })
  })

  it('an accepted name holds no bidi control or lone invisible character, and has a visible one', () => {
    fc.assert(fc.property(name, (raw) => {
      for (const check of [checkUsername(raw), checkDisplayName(raw), usernameFromDisplayName(raw)]) {
        if (!check.ok) continue
        expect(check.value).not.toMatch(/\p{Bidi_Control}/u)
        expect(check.value).toMatch(/[\p{L}\p{N}\p{P}\p{S}]/u)
        expect(check.value).toBe(check.value.trim())
      }
    }), { numRuns: 2000 })
  })

  it('the skeleton is blind to case, NFKC and inserted zero-width characters', () => {
    const ascii = fc.string({ unit: fc.constantFrom(...'abcdefghjkmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 20 })
    fc.assert(fc.property(ascii, fc.nat(), (s, at) => {
      const i = at % (s.length + 1)
      const disguised = `${s.slice(0, i)}\u200B${s.slice(i)}`.toUpperCase()
      expect(nameSkeleton(disguised)).toBe(nameSkeleton(s))
      expect(nameSkeleton(s.normalize('NFKD'))).toBe(nameSkeleton(s))
    }))
  })
})
