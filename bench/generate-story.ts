import type { ArticleBody } from '../src/articles/article.js';
import { bodyToDocument, documentText } from '../src/newsroom/editor-document.js';
import type { StoryContent } from '../src/newsroom/story.js';
import { articleText, createRandom } from './generate-text.js';
import { PLACES, TOPIC_TAGS } from './generate-words.js';

/** The stories story-save's editors save (generate-newsroom.ts), apart so tests can make one. */

/** About what a long news story holds: a 4,000-character Korean body. */
export const BODY_CHARACTERS = 4_000;

/**
 * A Korean story's content: generated articles' paragraphs, taken in turn until the body
 * reaches BODY_CHARACTERS, so every story is about the same size whatever the draws.
 */
export function koreanStory(
  seed: number,
  index: number,
  section: string,
  run: string,
): StoryContent {
  const r = createRandom(seed, 31, index);
  const place = r.pick(PLACES);
  const subject = { topic: 'national' as const, place };
  const first = articleText('ko', r, subject);
  const blocks: ArticleBody['blocks'][number][] = [];
  let body: ArticleBody = { ...first.body, blocks };
  for (let more = 0; documentText(bodyToDocument(body)).length < BODY_CHARACTERS; more += 1) {
    const next = more === 0 ? first.body : articleText('ko', r, subject).body;
    for (const block of next.blocks) {
      blocks.push(block);
      body = { ...first.body, blocks };
      if (documentText(bodyToDocument(body)).length >= BODY_CHARACTERS) break;
    }
  }
  return {
    language: 'ko',
    // `run` tags the slugs: a reused database (--database-url) gets stories of its own.
    slug: `newsroom-bench-${run}-${String(index + 1)}`,
    headline: first.headline,
    summary: first.summary,
    body: bodyToDocument(body),
    section,
    tags: [place.ko, ...r.sample(TOPIC_TAGS.national, 2).map((tag) => tag.ko)],
    bylines: [{ name: '한예진', email: 'yejin.han@byline.example' }],
    credit: '',
    translationId: null,
    image: null,
  };
}
