import { isValidSlug, slugify, type ArticleInput } from '../src/articles/article.js';
import { articleText, createRandom } from './generate-text.js';
import {
  FAMILY_NAMES,
  GIVEN_NAMES,
  PLACES,
  TOPIC_TAGS,
  type Bilingual,
  type Topic,
} from './generate-words.js';

/**
 * The generated articles of generate.ts, planned and written from (seed, index) alone: section,
 * place, tags, authors and dates (the plan), then the text. Shared by the real write path
 * (saveArticles, batch by batch) and the bulk mode's pool, whose plans the clones reuse.
 */

/** Articles per transaction: large enough to amortise the commit, small enough to show progress. */
export const BATCH_SIZE = 200;
/** One pair in this many is a translation pair; the others are unrelated English and Korean articles. */
const TRANSLATION_EVERY = 10;
export const DAY_MS = 86_400_000;
/** Published dates fall between this long before the run's day and a day before it. */
export const SPREAD_MS = 3 * 365 * DAY_MS;

const SECTIONS: readonly { name: string; topic: Topic }[] = [
  { name: 'National', topic: 'national' },
  { name: 'Business', topic: 'business' },
  { name: 'Culture', topic: 'culture' },
  { name: 'Sports', topic: 'sports' },
  { name: 'Opinion', topic: 'opinion' },
];

type Person = { en: string; ko: string; email: string };

function nth<T>(items: readonly T[], index: number): T {
  const item = items[index % items.length];
  if (item === undefined) throw new Error('nth of an empty list');
  return item;
}

/** 40 reporters: each family name with two given names; one person, a name in each language. */
const PEOPLE: readonly Person[] = FAMILY_NAMES.flatMap((family, f) =>
  [0, 3].map((shift) => {
    const given = nth(GIVEN_NAMES, f + shift);
    const local = `${given.en.replace('-', '')}.${family.en}`.toLowerCase();
    return {
      en: `${family.en} ${given.en}`,
      ko: `${family.ko}${given.ko}`,
      email: `${local}@byline.example`,
    };
  }),
);

export type Plan = {
  section: { name: string; topic: Topic };
  place: Bilingual;
  publishedAt: Date;
  updatedAt: Date | undefined;
  authors: Person[];
  /** The place, then 1–4 of the section's tags: 2–5 from the pool of 60. */
  tags: Bilingual[];
};

/** Streams of the PRNG, so that a plan and a text never draw the same numbers. */
const PLAN = 1;
const TEXT = 2;
const SHIFT = 3;

function planArticle(seed: number, index: number, day: number): Plan {
  const r = createRandom(seed, PLAN, index);
  const section = r.pick(SECTIONS);
  const place = r.pick(PLACES);
  const publishedAt = new Date(day - r.int(DAY_MS / 60_000, SPREAD_MS / 60_000) * 60_000);
  const updatedAt = r.chance(0.2)
    ? new Date(publishedAt.getTime() + r.int(30, 600) * 60_000)
    : undefined;
  return {
    section,
    place,
    publishedAt,
    updatedAt,
    authors: r.sample(PEOPLE, r.chance(0.7) ? 1 : 2),
    tags: [place, ...r.sample(TOPIC_TAGS[section.topic], r.int(1, 4))],
  };
}

/**
 * A readable slug from the headline's first words (up to 8, within the app's limit of 80 code
 * points), made unique by the article's serial number.
 */
export function slugFor(headline: string, serial: number): string {
  const suffix = `-${serial}`;
  let slug = '';
  for (const word of slugify(headline).split('-').slice(0, 8)) {
    const next = slug ? `${slug}-${word}` : word;
    if (!isValidSlug(next + suffix)) break;
    slug = next;
  }
  return slug + suffix;
}

function input(seed: number, index: number, plan: Plan): ArticleInput {
  const language = index % 2 === 0 ? 'en' : 'ko';
  const text = articleText(language, createRandom(seed, TEXT, index), {
    topic: plan.section.topic,
    place: plan.place,
  });
  return {
    language,
    slug: slugFor(text.headline, index + 1),
    ...text,
    section: plan.section.name,
    tags: plan.tags.map((tag) => tag[language]),
    authors: plan.authors.map((person) => ({ name: person[language], email: person.email })),
    publishedAt: plan.publishedAt,
    ...(plan.updatedAt ? { updatedAt: plan.updatedAt } : {}),
  };
}

/** An article to save and the plan it was made from (the bulk generator clones from plans). */
export type Planned = { input: ArticleInput; plan: Plan };

/**
 * Articles 2p (English) and 2p + 1 (Korean). A translation pair shares its plan, the Korean one
 * published a few hours after the English; the two name each other and saveArticles links them.
 */
function pairInputs(seed: number, pair: number, total: number, day: number): Planned[] {
  const enIndex = 2 * pair;
  const en = planArticle(seed, enIndex, day);
  const planned = (index: number, plan: Plan) => ({ input: input(seed, index, plan), plan });
  if (enIndex + 1 >= total) return [planned(enIndex, en)];
  if (pair % TRANSLATION_EVERY !== 0)
    return [planned(enIndex, en), planned(enIndex + 1, planArticle(seed, enIndex + 1, day))];
  const delay = createRandom(seed, SHIFT, pair).int(1, 8) * 3_600_000;
  const later = (date: Date | undefined) => date && new Date(date.getTime() + delay);
  const ko = {
    ...en,
    publishedAt: new Date(en.publishedAt.getTime() + delay),
    updatedAt: later(en.updatedAt),
  };
  const english = planned(enIndex, en);
  const korean = planned(enIndex + 1, ko);
  return [
    { ...english, input: { ...english.input, translation: korean.input.slug } },
    { ...korean, input: { ...korean.input, translation: english.input.slug } },
  ];
}

/** One batch at a time: nothing of an earlier batch is kept once it is saved. */
export function* batches(seed: number, total: number, day: number): Generator<Planned[]> {
  for (let start = 0; start < total; start += BATCH_SIZE) {
    const batch: Planned[] = [];
    const end = Math.min(start + BATCH_SIZE, total);
    // BATCH_SIZE is even, so a batch starts on an English article and never splits a pair.
    for (let pair = start / 2; 2 * pair < end; pair += 1)
      batch.push(...pairInputs(seed, pair, total, day));
    yield batch;
  }
}
