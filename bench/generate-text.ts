import type { ArticleBody, Block, Inline } from '../src/articles/article-body.js';
import type { Language } from '../src/articles/article.js';
import { EN, FAMILY_NAMES, GIVEN_NAMES, KO, type Bilingual, type Topic } from './generate-words.js';

/**
 * Invented article text in English and Korean, built sentence by sentence from the word lists in
 * generate-words.ts with a seeded PRNG: the same seeds give the same text on every machine, and
 * no real article is copied. Grammatical enough to look like news at a glance, and as long as
 * news: 300–900 words (Korean: space-separated words, eojeol) in 3–9 paragraphs.
 */

export type Random = {
  /** In [0, 1). */
  float(): number;
  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  /** `count` different items, in random order. */
  sample<T>(items: readonly T[], count: number): T[];
};

/** Mixes any number of 32-bit seeds into one (murmur3's finaliser), so streams never overlap. */
function mixSeeds(seeds: readonly number[]): number {
  let hash = 0x9e3779b9;
  for (const seed of seeds) {
    hash = Math.imul(hash ^ (seed >>> 0), 0x85ebca6b);
    hash ^= hash >>> 13;
    hash = Math.imul(hash, 0xc2b2ae35);
    hash ^= hash >>> 16;
  }
  return hash >>> 0;
}

/** mulberry32: tiny, fast and good enough for text; not for anything secret. */
export function createRandom(...seeds: readonly number[]): Random {
  let state = mixSeeds(seeds);
  const float = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(float() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(0, items.length - 1)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const sample = <T>(items: readonly T[], count: number): T[] => {
    const copy = [...items];
    // A partial Fisher–Yates shuffle: the first `count` places end up a uniform sample.
    for (let i = 0; i < Math.min(count, copy.length); i += 1) {
      const j = int(i, copy.length - 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, count);
  };
  return { float, int, pick, chance: (p) => float() < p, sample };
}

/** What an article is about; a translation pair shares it. */
export type Subject = { topic: Topic; place: Bilingual };

export type ArticleText = { headline: string; summary: string; body: ArticleBody };

type Writer = {
  headline(r: Random, s: Subject): string;
  /** The standfirst: an opening sentence with who, what, where and when. */
  lead(r: Random, s: Subject): string;
  sentences: readonly ((r: Random, s: Subject) => string)[];
  heading(r: Random, s: Subject): string;
  link(r: Random, href: string): Inline[];
};

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const indefinite = (phrase: string): string => `${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase}`;
const quotedName = (r: Random, language: Language): string => {
  const family = r.pick(FAMILY_NAMES);
  const given = r.pick(GIVEN_NAMES);
  return language === 'en' ? `${family.en} ${given.en}` : `${family.ko}${given.ko}`;
};

const english: Writer = {
  headline(r, s) {
    const t = EN.topics[s.topic];
    return r.chance(0.5)
      ? `${r.pick(t.headlineActors)} ${r.pick(EN.verbsHeadline)} ${r.pick(EN.adjectives)} ${r.pick(t.nouns)} in ${s.place.en}`
      : `${s.place.en}'s ${r.pick(t.nouns)} ${r.pick(EN.outcomes)} ${r.pick(EN.headlineTails)}`;
  },
  lead(r, s) {
    const t = EN.topics[s.topic];
    const what = indefinite(`${r.pick(EN.adjectives)} ${r.pick(t.nouns)}`);
    return `${capitalise(r.pick(t.actors))} ${r.pick(EN.verbsPast)} ${what} in ${s.place.en} ${r.pick(EN.times)}.`;
  },
  sentences: [
    (r, s) => english.lead(r, s),
    (r) =>
      `"${capitalise(r.pick(EN.quotes))}," ${quotedName(r, 'en')}, ${r.pick(EN.roles)}, ${r.pick(EN.quoteVerbs)}.`,
    (r, s) => {
      const t = EN.topics[s.topic];
      return `${r.pick(EN.connectors)} ${r.pick(t.actors)} ${r.pick(EN.verbsPast)} the ${r.pick(t.nouns)} ${r.pick(EN.times)}.`;
    },
    (r, s) =>
      `The number of ${r.pick(EN.counted)} in ${s.place.en} ${r.pick(EN.trends)} ${r.int(2, 40)} percent ${r.pick(EN.times)}, according to ${r.pick(EN.topics[s.topic].actors)}.`,
    (r, s) => {
      const t = EN.topics[s.topic];
      return `${capitalise(r.pick(t.actors))} ${r.pick(EN.pledges)} ${r.pick(EN.verbsBase)} the ${r.pick(t.nouns)} by ${r.int(2027, 2032)}.`;
    },
    (r, s) => {
      const t = EN.topics[s.topic];
      return `${capitalise(r.pick(t.actors))} said the ${r.pick(t.nouns)} would cost ${r.int(2, 90)} billion won and take ${r.int(2, 6)} years to finish.`;
    },
    (r, s) => `Some ${r.pick(EN.counted)} in ${s.place.en} ${r.pick(EN.reactions)}.`,
  ],
  heading: (r) => r.pick(EN.headings),
  link: (r, href) => [
    { type: 'text', value: `${r.pick(EN.linkIntros)} ` },
    { type: 'link', href, children: [{ type: 'text', value: r.pick(EN.linkTexts) }] },
    { type: 'text', value: '.' },
  ],
};

/** The word with the particle its last syllable takes: 은/는, 이/가, 을/를 (with or without a final consonant). */
function josa(word: string, afterConsonant: string, afterVowel: string): string {
  const code = word.charCodeAt(word.length - 1);
  const hangul = code >= 0xac00 && code <= 0xd7a3;
  // A precomposed syllable is 0xAC00 + (initial × 21 + vowel) × 28 + final, final 0 meaning none.
  return word + (hangul && (code - 0xac00) % 28 !== 0 ? afterConsonant : afterVowel);
}
const topicOf = (word: string) => josa(word, '은', '는');
const subjectOf = (word: string) => josa(word, '이', '가');
const objectOf = (word: string) => josa(word, '을', '를');

const korean: Writer = {
  headline(r, s) {
    const t = KO.topics[s.topic];
    if (r.chance(0.5)) return `${s.place.ko} ${r.pick(t.nouns)} ${r.pick(KO.outcomes)}`;
    const headline = `${s.place.ko} ${r.pick(t.headlineActors)}, ${r.pick(t.nouns)} ${r.pick(KO.verbsHeadline)}`;
    return r.chance(0.4) ? `${headline}…“${r.pick(KO.quotes)}”` : headline;
  },
  lead(r, s) {
    const t = KO.topics[s.topic];
    return `${topicOf(r.pick(t.actors))} ${r.pick(KO.times)} ${s.place.ko}의 ${objectOf(r.pick(t.nouns))} ${r.pick(KO.verbsPast)}.`;
  },
  sentences: [
    (r, s) => korean.lead(r, s),
    (r) =>
      `${quotedName(r, 'ko')} ${topicOf(r.pick(KO.roles))} "${r.pick(KO.quotes)}"${r.pick(KO.quoteVerbs)}.`,
    (r, s) => {
      const t = KO.topics[s.topic];
      return `${r.pick(KO.connectors)} ${topicOf(r.pick(t.actors))} ${objectOf(r.pick(t.nouns))} ${r.pick(KO.verbsPast)}.`;
    },
    (r, s) =>
      `${s.place.ko}의 ${r.pick(KO.counted)} 수는 지난해보다 ${r.int(2, 40)}% ${r.pick(KO.trends)}고 ${subjectOf(r.pick(KO.topics[s.topic].actors))} 밝혔다.`,
    (r, s) => {
      const t = KO.topics[s.topic];
      return `${topicOf(r.pick(t.actors))} ${r.int(2027, 2032)}년까지 ${objectOf(r.pick(t.nouns))} ${r.pick(KO.plans)} 계획이다.`;
    },
    (r, s) => {
      const t = KO.topics[s.topic];
      return `${topicOf(r.pick(t.actors))} ${r.pick(t.nouns)}에 ${r.int(5, 900)}억 원이 들고 마무리까지 ${r.int(2, 6)}년이 걸릴 것이라고 설명했다.`;
    },
    (r, s) => `${s.place.ko}의 일부 ${r.pick(KO.counted)}들은 ${r.pick(KO.reactions)}.`,
  ],
  heading: (r) => r.pick(KO.headings),
  link: (r, href) => [
    { type: 'text', value: `${r.pick(KO.linkIntros)} ` },
    { type: 'link', href, children: [{ type: 'text', value: r.pick(KO.linkTexts) }] },
    { type: 'text', value: r.pick(KO.linkOutros) },
  ],
};

const wordCount = (text: string): number => text.split(' ').length;
/** Words in half an average sentence, in either language (about 13 English, 10 Korean). */
const HALF_SENTENCE = 6;

function paragraph(w: Writer, r: Random, s: Subject, words: number, link: boolean): Block {
  const sentences: string[] = [];
  let count = 0;
  // Stops half a sentence short, so that the last sentence overshoots the target as often as not.
  while (sentences.length === 0 || count + HALF_SENTENCE < words) {
    const sentence = r.pick(w.sentences)(r, s);
    sentences.push(sentence);
    count += wordCount(sentence);
  }
  const text = sentences.join(' ');
  if (!link) return { type: 'paragraph', children: [{ type: 'text', value: text }] };
  // example.org is reserved for examples (RFC 2606): generated links lead nowhere real.
  const href = `https://example.org/${s.topic}/${r.int(1000, 9999)}`;
  return { type: 'paragraph', children: [{ type: 'text', value: `${text} ` }, ...w.link(r, href)] };
}

/** A headline alone, as articleText writes one: the bulk generator's clones get theirs here. */
export function headlineText(language: Language, r: Random, s: Subject): string {
  return (language === 'en' ? english : korean).headline(r, s);
}

/** A headline, a one-sentence summary and a body of 3–9 paragraphs, some `##` headings and links. */
export function articleText(language: Language, r: Random, s: Subject): ArticleText {
  const w = language === 'en' ? english : korean;
  const paragraphs = r.int(3, 9);
  const wordsEach = Math.round(r.int(300, 900) / paragraphs);
  const inner = Array.from({ length: paragraphs - 2 }, (_, i) => i + 2);
  const headings = new Set(paragraphs >= 5 && r.chance(0.5) ? r.sample(inner, r.int(1, 2)) : []);
  const all = Array.from({ length: paragraphs }, (_, i) => i);
  const links = new Set(r.chance(0.35) ? r.sample(all, r.int(1, 2)) : []);
  const blocks: Block[] = [];
  for (let i = 0; i < paragraphs; i += 1) {
    if (headings.has(i))
      blocks.push({
        type: 'heading',
        level: 2,
        children: [{ type: 'text', value: w.heading(r, s) }],
      });
    blocks.push(paragraph(w, r, s, wordsEach, links.has(i)));
  }
  return {
    headline: w.headline(r, s),
    summary: w.lead(r, s),
    body: { type: 'doc', version: 1, blocks },
  };
}
