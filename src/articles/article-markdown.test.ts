import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ArticleInput } from './article.js';
import type { ArticleBody, Block } from './article-body.js';
import { ArticleFileError, formatArticleFile, parseArticleFile } from './article-markdown.js';

// Line numbers matter: the bad-file table below points at lines of this text.
const EXAMPLE = `---
title: "North denies sending arms to Russia, slams U.S. for 'groundless rumors'"
published: 2023-01-29T17:25:00+09:00
updated: 2023-01-30T09:00:00+09:00
authors:
  - name: Sarah Kim
    email: kim.sarah@joongang.co.kr
credit: with the Korea JoongAng Daily
section: National
tags: [North Korea, Russia]
language: en
---
North Korea on Sunday denied supplying arms to Russia for its war in Ukraine.

The Foreign Ministry called the claim *groundless rumors* spread by Washington.
`;

const KOREAN = `---
title: "북한, 러시아에 무기 제공 부인…美 '근거 없는 소문' 비난"
published: 2023-01-29T17:25:00+09:00
authors:
  - name: 김세라
    email: kim.sarah@joongang.co.kr
section: 정치
tags: [북한, 러시아]
language: ko
summary: 북한 외무성은 29일 러시아에 무기를 제공했다는 미국의 주장을 부인했다.
translation: north-denies-sending-arms-to-russia-slams-u-s-for-groundless-rumors
image:
  src: https://images.example/north-korea.jpg
  alt: 평양 시내 전경
  credit: 연합뉴스
---
북한이 29일 러시아에 무기를 제공했다는 미국의 주장을 **근거 없는 소문**이라며 부인했다.
`;

/** Up to and including the closing fence, so the body starts on line 13. */
const EXAMPLE_FRONT_MATTER = EXAMPLE.slice(0, EXAMPLE.indexOf('North Korea on Sunday'));

/** The text with one piece replaced; fails loudly if the piece is not there. */
function edit(text: string, from: string, to: string): string {
  assert.ok(text.includes(from), `the fixture has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

function problemIn(text: string): { file: string; line: number; field: string } {
  try {
    parseArticleFile(text, 'bad.md');
  } catch (error) {
    assert.ok(error instanceof ArticleFileError, `not an ArticleFileError: ${String(error)}`);
    return { file: error.file, line: error.line, field: error.field };
  }
  throw new assert.AssertionError({ message: 'the file was accepted' });
}

function paragraph(value: string): Block {
  return { type: 'paragraph', children: [{ type: 'text', value }] };
}

describe('reading an article file', () => {
  it('reads the example article into an ArticleInput', () => {
    const article = parseArticleFile(EXAMPLE, 'example.md');

    assert.equal(
      article.headline,
      "North denies sending arms to Russia, slams U.S. for 'groundless rumors'",
    );
    assert.deepEqual(article.publishedAt, new Date('2023-01-29T08:25:00Z'));
    assert.deepEqual(article.updatedAt, new Date('2023-01-30T00:00:00Z'));
    assert.deepEqual(article.authors, [{ name: 'Sarah Kim', email: 'kim.sarah@joongang.co.kr' }]);
    assert.equal(article.credit, 'with the Korea JoongAng Daily');
    assert.equal(article.section, 'National');
    assert.deepEqual(article.tags, ['North Korea', 'Russia']);
    assert.equal(article.language, 'en');
    // slugify splits "U.S." at its dots, hence "u-s".
    assert.equal(
      article.slug,
      'north-denies-sending-arms-to-russia-slams-u-s-for-groundless-rumors',
    );
    assert.equal(article.summary, '');
  });

  it('turns the body into paragraphs of structured text', () => {
    const article = parseArticleFile(EXAMPLE, 'example.md');

    assert.deepEqual(article.body, {
      type: 'doc',
      version: 1,
      blocks: [
        paragraph('North Korea on Sunday denied supplying arms to Russia for its war in Ukraine.'),
        {
          type: 'paragraph',
          children: [
            { type: 'text', value: 'The Foreign Ministry called the claim ' },
            { type: 'emphasis', children: [{ type: 'text', value: 'groundless rumors' }] },
            { type: 'text', value: ' spread by Washington.' },
          ],
        },
      ],
    });
  });

  it('leaves missing optional fields out instead of setting them to undefined', () => {
    const article = parseArticleFile(EXAMPLE, 'example.md');

    for (const key of ['translation', 'image'] as const) assert.equal(key in article, false, key);
    const optionalLines = [
      'updated: 2023-01-30T09:00:00+09:00\n',
      '    email: kim.sarah@joongang.co.kr\n',
      'credit: with the Korea JoongAng Daily\n',
    ];
    const stripped = optionalLines.reduce((text, line) => edit(text, line, ''), EXAMPLE);
    const withoutOptions = parseArticleFile(stripped, 'example.md');
    assert.equal('updatedAt' in withoutOptions, false);
    assert.equal('credit' in withoutOptions, false);
    assert.equal('email' in (withoutOptions.authors[0] ?? {}), false);
  });

  it('reads a Korean article and keeps Hangul in the derived slug', () => {
    const article = parseArticleFile(KOREAN, 'korean.md');

    assert.equal(article.headline, "북한, 러시아에 무기 제공 부인…美 '근거 없는 소문' 비난");
    assert.equal(article.slug, '북한-러시아에-무기-제공-부인-美-근거-없는-소문-비난');
    assert.deepEqual(article.tags, ['북한', '러시아']);
    assert.equal(article.language, 'ko');
    assert.equal(article.section, '정치');
    assert.equal(
      article.translation,
      'north-denies-sending-arms-to-russia-slams-u-s-for-groundless-rumors',
    );
    assert.deepEqual(article.image, {
      src: 'https://images.example/north-korea.jpg',
      alt: '평양 시내 전경',
      credit: '연합뉴스',
    });
  });

  it('normalises strings to NFC, trims them and drops repeated tags', () => {
    const decomposed = '북한'.normalize('NFD');
    const text = edit(
      EXAMPLE,
      'tags: [North Korea, Russia]',
      `tags: ["  ${decomposed} ", 북한, Russia, Russia]`,
    );

    const article = parseArticleFile(text, 'example.md');

    assert.deepEqual(article.tags, ['북한', 'Russia']);
  });

  it('takes an explicit slug over the one derived from the title', () => {
    const article = parseArticleFile(
      edit(EXAMPLE, 'language: en', 'language: en\nslug: arms-denial'),
      'x.md',
    );

    assert.equal(article.slug, 'arms-denial');
  });

  it('reads a file with Windows line endings', () => {
    const article = parseArticleFile(EXAMPLE.replaceAll('\n', '\r\n'), 'example.md');

    assert.deepEqual(article, parseArticleFile(EXAMPLE, 'example.md'));
  });
});

describe('refusing a bad article file', () => {
  const cases: { name: string; text: string; field: string; line: number }[] = [
    { name: 'no opening fence', text: EXAMPLE.slice(4), field: 'front matter', line: 1 },
    {
      name: 'no closing fence',
      text: edit(EXAMPLE, 'language: en\n---', 'language: en\n'),
      field: 'front matter',
      line: 1,
    },
    {
      name: 'a YAML syntax error',
      text: edit(EXAMPLE, 'section: National', 'section: National: World'),
      field: 'front matter',
      line: 9,
    },
    {
      name: 'an unknown key',
      text: edit(EXAMPLE, 'section: National', 'sektion: National'),
      field: 'sektion',
      line: 9,
    },
    {
      name: 'an unknown key in an author',
      text: edit(EXAMPLE, '    email:', '    mail:'),
      field: 'authors[0].mail',
      line: 7,
    },
    {
      name: 'a missing required key',
      text: edit(EXAMPLE, 'section: National\n', ''),
      field: 'section',
      line: 2,
    },
    {
      name: 'tags that are not a list',
      text: edit(EXAMPLE, 'tags: [North Korea, Russia]', 'tags: North Korea'),
      field: 'tags',
      line: 10,
    },
    {
      name: 'a number where text belongs',
      text: edit(EXAMPLE, 'section: National', 'section: 2023'),
      field: 'section',
      line: 9,
    },
    {
      name: 'an empty title',
      text: edit(EXAMPLE, /title: .*/.exec(EXAMPLE)?.[0] ?? '', 'title: "  "'),
      field: 'title',
      line: 2,
    },
    {
      name: 'a language other than en or ko',
      text: edit(EXAMPLE, 'language: en', 'language: fr'),
      field: 'language',
      line: 11,
    },
    {
      name: 'a date-time without an offset',
      text: edit(EXAMPLE, 'published: 2023-01-29T17:25:00+09:00', 'published: 2023-01-29T17:25:00'),
      field: 'published',
      line: 3,
    },
    {
      name: 'a date without a time',
      text: edit(EXAMPLE, 'published: 2023-01-29T17:25:00+09:00', 'published: 2023-01-29'),
      field: 'published',
      line: 3,
    },
    {
      name: 'a date that does not exist',
      text: edit(EXAMPLE, '2023-01-30T09:00', '2023-02-30T09:00'),
      field: 'updated',
      line: 4,
    },
    {
      name: 'updated before published',
      text: edit(EXAMPLE, '2023-01-30T09:00:00+09:00', '2023-01-29T17:24:59+09:00'),
      field: 'updated',
      line: 4,
    },
    {
      name: 'no authors',
      text: edit(
        EXAMPLE,
        'authors:\n  - name: Sarah Kim\n    email: kim.sarah@joongang.co.kr',
        'authors: []',
      ),
      field: 'authors',
      line: 5,
    },
    {
      name: 'an author with an empty name',
      text: edit(EXAMPLE, 'name: Sarah Kim', 'name: ""'),
      field: 'authors[0].name',
      line: 6,
    },
    {
      name: 'an invalid e-mail address',
      text: edit(
        EXAMPLE,
        '    email: kim.sarah@joongang.co.kr',
        '    email: kim.sarah@joongang.co.kr\n  - name: Lee Min\n    email: lee.min(at)joongang',
      ),
      field: 'authors[1].email',
      line: 9,
    },
    {
      name: 'an invalid slug',
      text: edit(EXAMPLE, 'language: en', 'language: en\nslug: North Korea'),
      field: 'slug',
      line: 12,
    },
    {
      name: 'a title with nothing to slug',
      text: edit(EXAMPLE, /title: .*/.exec(EXAMPLE)?.[0] ?? '', 'title: "!?"'),
      field: 'title',
      line: 2,
    },
    {
      name: 'an image that is not on the web',
      text: edit(
        EXAMPLE,
        'language: en',
        'language: en\nimage:\n  src: javascript:alert(1)\n  alt: A map',
      ),
      field: 'image.src',
      line: 13,
    },
    {
      name: 'an image without alt text',
      text: edit(
        EXAMPLE,
        'language: en',
        'language: en\nimage:\n  src: https://images.example/a.jpg',
      ),
      // A missing key is reported at the line of the mapping that lacks it.
      field: 'image.alt',
      line: 12,
    },
    {
      name: 'a YAML alias',
      text: edit(EXAMPLE, 'section: National', 'section: &s National\ncredit2: *s'),
      field: 'front matter',
      line: 10,
    },
    {
      name: 'a javascript: link in the body',
      text: `${EXAMPLE}\nRead [the statement](javascript:alert(1)).\n`,
      field: 'body',
      line: 17,
    },
    {
      name: 'a link on the second line of a paragraph',
      text: `${EXAMPLE}\nRead\n[the statement](data:text/html,x).\n`,
      field: 'body',
      line: 18,
    },
    {
      name: 'an image in the body',
      text: `${EXAMPLE}\n![A map](https://images.example/map.png)\n`,
      field: 'body',
      line: 17,
    },
    {
      name: 'a fenced code block',
      text: `${EXAMPLE}\n\`\`\`js\nalert(1)\n\`\`\`\n`,
      field: 'body',
      line: 17,
    },
    { name: 'an indented code block', text: `${EXAMPLE}\n    alert(1)\n`, field: 'body', line: 17 },
    {
      name: 'an ordered list not starting at 1',
      text: `${EXAMPLE}\n3. third\n`,
      field: 'body',
      line: 17,
    },
    {
      name: 'a link with a title',
      text: `${EXAMPLE}\n[KCNA](https://kcna.example "KCNA")\n`,
      field: 'body',
      line: 17,
    },
    {
      name: 'a NUL written as a YAML escape in the front matter',
      text: edit(EXAMPLE, 'section: National', 'section: "Nat\\0ional"'),
      field: 'section',
      line: 9,
    },
    {
      name: 'a NUL character in the body',
      text: `${EXAMPLE}\nA damaged\0 line.\n`,
      field: 'body',
      line: 17,
    },
    {
      name: 'a year no address can carry (0001)',
      text: edit(EXAMPLE, 'published: 2023-01-29', 'published: 0001-01-29'),
      field: 'published',
      line: 3,
    },
    {
      name: 'a tag mapping without its translation',
      text: edit(EXAMPLE, 'tags: [North Korea, Russia]', 'tags: [North Korea, { name: Russia }]'),
      field: 'tags[1]',
      line: 10,
    },
    {
      name: 'an empty body',
      text: `${EXAMPLE_FRONT_MATTER}\n  \n`,
      field: 'body',
      line: 13,
    },
  ];

  for (const { name, text, field, line } of cases) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(problemIn(text), { file: 'bad.md', line, field });
    });
  }

  it('refuses quotes nested so deep that markdown-it would drop their text', () => {
    const text = `${EXAMPLE}\n${'> '.repeat(25)}lost words\n`;

    assert.deepEqual(problemIn(text), { file: 'bad.md', line: 17, field: 'body' });
  });

  it('starts its message with the file, line and field, as compilers do', () => {
    assert.throws(
      () => parseArticleFile(edit(EXAMPLE, 'language: en', 'language: fr'), 'bad.md'),
      (error) =>
        error instanceof ArticleFileError && error.message.startsWith('bad.md:11: language: '),
    );
  });
});

/** A body that needs every escape and every node type to come back unchanged. */
const TRICKY_BODY: ArticleBody = {
  type: 'doc',
  version: 1,
  blocks: [
    paragraph('*not emphasis* and _not either_ and **nor this**'),
    paragraph('1. not a list'),
    paragraph('2023) neither'),
    paragraph('# not a heading'),
    paragraph('- not a bullet, + nor this'),
    paragraph('> not a quote'),
    paragraph('<b>not bold</b> and [x](y) and ![z](w)'),
    paragraph('C:\\Users\\kim\\ ends in a backslash\\'),
    paragraph('  two spaces either side  '),
    paragraph('\tA tab, &amp; an entity, AT&T, `ticks` and a ~~~ fence'),
    paragraph('북한 외무성 대변인은 “근거 없는 소문”이라고 밝혔다 🇰🇵😀'),
    { type: 'heading', level: 2, children: [{ type: 'text', value: 'Learning C#' }] },
    { type: 'heading', level: 3, children: [{ type: 'text', value: '### hashes ###' }] },
    {
      type: 'heading',
      level: 2,
      children: [
        { type: 'text', value: 'Two' },
        { type: 'break' },
        { type: 'text', value: 'lines' },
      ],
    },
    {
      type: 'paragraph',
      children: [
        { type: 'text', value: 'He said ' },
        {
          type: 'emphasis',
          children: [
            { type: 'text', value: '"no" to ' },
            { type: 'strong', children: [{ type: 'text', value: '모두' }] },
          ],
        },
        { type: 'text', value: 'word' },
        { type: 'strong', children: [{ type: 'text', value: '(inside)' }] },
        { type: 'text', value: 'word, then ' },
        { type: 'code', value: 'a `tick` here' },
        { type: 'text', value: ' and ' },
        { type: 'code', value: '`edge`' },
        { type: 'text', value: ' and ' },
        {
          type: 'link',
          href: 'https://example.com/a_(b)?c=1&d=2',
          children: [
            { type: 'text', value: 'a ' },
            { type: 'emphasis', children: [{ type: 'text', value: '[link]' }] },
          ],
        },
        { type: 'text', value: ' wow!' },
        {
          type: 'link',
          href: 'mailto:kim.sarah@joongang.co.kr',
          children: [{ type: 'text', value: 'mail' }],
        },
        { type: 'break' },
        { type: 'text', value: '- after a break' },
      ],
    },
    {
      type: 'blockquote',
      children: [
        paragraph('Quoted'),
        { type: 'list', ordered: true, items: [[paragraph('first')], [paragraph('second')]] },
      ],
    },
    {
      type: 'list',
      ordered: false,
      items: [
        [paragraph('outer'), { type: 'list', ordered: false, items: [[paragraph('inner')], []] }],
        [{ type: 'rule' }],
        [{ type: 'heading', level: 3, children: [{ type: 'text', value: 'In a list' }] }],
      ],
    },
    { type: 'list', ordered: false, items: [[paragraph('a second list right after')]] },
    { type: 'rule' },
    paragraph('The end.'),
  ],
};

function article(overrides: Partial<ArticleInput> = {}): ArticleInput {
  return { ...parseArticleFile(EXAMPLE, 'example.md'), ...overrides };
}

describe('writing an article file', () => {
  it('writes the example so that it reads back the same', () => {
    const original = parseArticleFile(EXAMPLE, 'example.md');

    assert.deepEqual(parseArticleFile(formatArticleFile(original), 'again.md'), original);
  });

  it('writes a Korean article so that it reads back the same', () => {
    const original = parseArticleFile(KOREAN, 'korean.md');

    assert.deepEqual(parseArticleFile(formatArticleFile(original), 'again.md'), original);
  });

  it('writes a body with every node type and tricky text so that it reads back the same', () => {
    const original = article({ body: TRICKY_BODY });

    assert.deepEqual(parseArticleFile(formatArticleFile(original), 'again.md'), original);
  });

  it('reads a tag given with its name in the other language, and writes it back so', () => {
    const text = edit(
      KOREAN,
      'tags: [북한, 러시아]',
      'tags:\n  - 북한\n  - name: 러시아\n    translation: Russia',
    );
    const original = parseArticleFile(text, 'korean.md');

    assert.deepEqual(original.tags, ['북한', '러시아']);
    assert.deepEqual(original.tagTranslations, [{ name: '러시아', translation: 'Russia' }]);
    assert.deepEqual(parseArticleFile(formatArticleFile(original), 'again.md'), original);
  });

  it('writes the keys in the documented order, dates in UTC and tags on one line', () => {
    const original = parseArticleFile(KOREAN, 'korean.md');
    const file = formatArticleFile({ ...original, credit: 'with the Korea JoongAng Daily' });
    const keys = [...file.matchAll(/^([a-z]+):/gm)].map((match) => match[1]);

    assert.deepEqual(keys, [
      'title',
      'published',
      'authors',
      'credit',
      'section',
      'tags',
      'language',
      'slug',
      'summary',
      'translation',
      'image',
    ]);
    assert.match(file, /^published: 2023-01-29T08:25:00\.000Z$/m);
    assert.match(file, /^tags: \[ 북한, 러시아 \]$/m);
  });
});
