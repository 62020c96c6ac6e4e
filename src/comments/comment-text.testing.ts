import fc from 'fast-check';

/**
 * Random comment texts for the property tests, shared by the Node test and the browser one so
 * that both exercise the same inputs. fast-check's own units (graphemes, any code unit) are mixed
 * with the pieces that make counting hard: Hangul jamo that compose under NFC, emoji with skin
 * tones and zero-width joiners, flags, combining marks, Indic conjuncts, CR/LF, and the
 * characters the rule refuses.
 */
const PIECES: readonly string[] = [
  '가',
  '한',
  '국',
  '어',
  '\u1112', // ᄒ choseong (leading consonant)
  '\u1100',
  '\u1161', // ᅡ jungseong (vowel)
  '\u1175',
  '\u11AB', // ᆫ jongseong (final consonant)
  '\u11A8',
  '\u3131', // ㄱ compatibility jamo: never composes
  '\u3164', // Hangul filler
  '👍',
  '\u{1F3FB}',
  '\u{1F3FD}',
  '\u{1F3FF}',
  '\u200D', // zero-width joiner
  '👨',
  '👩',
  '👧',
  '❤',
  '\uFE0F',
  '🇰',
  '🇷',
  '\u{1F1FA}',
  'e',
  'A',
  '\u0301',
  '\u0308',
  '\u0323',
  'क',
  '\u094D', // Devanagari virama: conjuncts join clusters since Unicode 15.1
  'ष',
  'ก',
  '\u0E33',
  ' ',
  '\u3000',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\0',
  '\u0007',
  '\u0085',
  '\u007F',
  '\uD800',
  '\uDC00',
  '\uFEFF',
  '\u200B', // zero-width space
  '\u202E', // right-to-left override
  '\u2067', // right-to-left isolate
  '\u200F', // right-to-left mark
  '\u{E0067}', // a tag character, as in the flag of Scotland
  '\u{1F3F4}',
  '\u2800', // blank braille pattern
];

const piece = fc.constantFrom(...PIECES);

export const commentTexts: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: piece, maxLength: 40 }),
  fc.string({
    unit: fc.oneof(
      { arbitrary: piece, weight: 4 },
      { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }), weight: 1 },
      { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 1 },
    ),
    maxLength: 60,
  }),
);

/** Runs longer than the counting window (128 code units), and clusters that span windows. */
const longRun: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(piece, fc.integer({ min: 1, max: 300 })).map(([p, n]) => p.repeat(n)),
  fc.integer({ min: 1, max: 300 }).map((n) => `a${'\u0301\u0323'.repeat(n)}`),
  fc.integer({ min: 1, max: 200 }).map((n) => '🇰🇷'.repeat(n) + '🇰'),
  fc.integer({ min: 1, max: 60 }).map((n) => `👨${'\u200D👩🏽'.repeat(n)}`),
  fc.integer({ min: 1, max: 200 }).map((n) => '\u1100'.repeat(n) + '\u1161'.repeat(n) + '\u11A8'),
  fc.integer({ min: 1, max: 100 }).map((n) => `क${'\u094Dष'.repeat(n)}`),
);

/** Texts of a few hundred to a few thousand code units, so counting crosses windows. */
export const longCommentTexts: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(piece, longRun),
  minLength: 1,
  maxLength: 30,
});

const URL_PIECES: readonly string[] = [
  'https://',
  'http://',
  'HTTPS://',
  'www.',
  'javascript:',
  'example.com',
  'ko.wikipedia.org',
  ':8080',
  ':99999',
  '/',
  '/wiki/한국',
  '?a=1&b=2',
  '#top',
  '@',
  '(',
  ')',
  '[',
  ']',
  '「',
  '」',
  '.',
  ',',
  '!',
  '?',
  "'",
  '"',
  '<',
  '>',
  '。',
  ' ',
  '\n',
  '에서',
  '봤어요',
  '\u0301',
  '👍',
  '\u202E',
];

/** Texts dense in things that look like addresses, so links are found, trimmed and refused often. */
export const linkTexts: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.constantFrom(...URL_PIECES), maxLength: 30 }),
  commentTexts,
);
