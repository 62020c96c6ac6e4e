import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { articlePath, canTransition, isValidSlug, slugify } from './article.js';

describe('slugs', () => {
  it('are made of the words of the headline', () => {
    assert.equal(
      slugify("North denies sending arms to Russia, slams U.S. for 'groundless rumors'"),
      'north-denies-sending-arms-to-russia-slams-u-s-for-groundless-rumors',
    );
  });

  it('keep Hangul and digits', () => {
    assert.equal(slugify('서울시, 심야버스 4개 노선 신설'), '서울시-심야버스-4개-노선-신설');
    assert.ok(isValidSlug('서울시-심야버스-4개-노선-신설'));
  });

  it('keep the marks and modifier letters of other scripts whole', () => {
    assert.equal(slugify('हिन्दी समाचार'), 'हिन्दी-समाचार');
    assert.ok(isValidSlug(slugify('ラーメン')));
  });

  it('compose decomposed Hangul first', () => {
    assert.equal(slugify('한국어'.normalize('NFD')), '한국어');
  });

  it('stop at 80 characters on a word boundary', () => {
    const slug = slugify('word '.repeat(40));
    assert.ok(slug.length <= 80);
    assert.ok(!slug.endsWith('-'));
  });

  it('refuse capitals, spaces, punctuation and empty parts', () => {
    for (const bad of ['', 'Upper', 'two words', 'a--b', '-a', 'a/b', 'a.b'])
      assert.equal(isValidSlug(bad), false, bad);
  });
});

describe('article addresses', () => {
  it('carry the newsroom date, the section and the slug', () => {
    const input = {
      language: 'en' as const,
      publishedAt: new Date('2023-01-29T17:25:00+09:00'),
      sectionSlug: 'national',
      slug: 'x',
    };
    assert.equal(articlePath(input, 'Asia/Seoul'), '/2023/01/29/national/x');
    assert.equal(
      articlePath({ ...input, language: 'ko' }, 'Asia/Seoul'),
      '/ko/2023/01/29/national/x',
    );
    assert.equal(
      articlePath(
        { ...input, publishedAt: new Date('2023-01-29T02:00:00+09:00') },
        'Europe/London',
      ),
      '/2023/01/28/national/x',
    );
  });
});

describe('the newsroom workflow', () => {
  it('goes draft → review → scheduled or published → archived, and no shortcut back', () => {
    assert.ok(canTransition('draft', 'in_review'));
    assert.ok(canTransition('in_review', 'published'));
    assert.ok(canTransition('scheduled', 'published'));
    assert.ok(canTransition('published', 'archived'));
    assert.equal(canTransition('published', 'draft'), false);
    assert.equal(canTransition('archived', 'draft'), false);
  });
});
