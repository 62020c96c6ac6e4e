import type { ArticleBody } from './article-body.js';
import type { ArticleInput } from './article.js';

/** Articles for tests, in both languages (CONTRIBUTING.md, habit 10). */

export function paragraphs(...texts: string[]): ArticleBody {
  return {
    type: 'doc',
    version: 1,
    blocks: texts.map((value) => ({ type: 'paragraph', children: [{ type: 'text', value }] })),
  };
}

export function englishArticle(overrides: Partial<ArticleInput> = {}): ArticleInput {
  return {
    language: 'en',
    slug: 'north-denies-sending-arms',
    headline: "North denies sending arms to Russia, slams U.S. for 'groundless rumors'",
    summary: 'A fixture with the shape of the model page.',
    body: paragraphs('First paragraph of original fixture text.', 'Second paragraph.'),
    section: 'National',
    tags: ['North Korea', 'Russia'],
    authors: [{ name: 'Sarah Kim', email: 'kim.sarah@joongang.co.kr' }],
    credit: 'with the Korea JoongAng Daily',
    publishedAt: new Date('2023-01-29T17:25:00+09:00'),
    ...overrides,
  };
}

export function koreanArticle(overrides: Partial<ArticleInput> = {}): ArticleInput {
  return {
    language: 'ko',
    slug: '북한-러시아-무기-공급-부인',
    headline: '북한, 러시아 무기 공급설 부인…“근거 없는 소문”',
    summary: '한국어 시험용 기사입니다.',
    body: paragraphs('시험을 위해 쓴 한국어 본문 첫 문단입니다.', '두 번째 문단입니다.'),
    section: 'National',
    tags: ['북한', '러시아'],
    authors: [{ name: '김사라', email: 'kim.sarah@joongang.co.kr' }],
    credit: 'with the Korea JoongAng Daily',
    publishedAt: new Date('2023-01-29T18:00:00+09:00'),
    ...overrides,
  };
}
