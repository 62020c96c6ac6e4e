import { z } from 'zod';
import { isValidSlug, slugify, type Language } from '../articles/article.js';
import { formText, repeated } from '../http/schemas.js';
import { visibleLengthProblem } from '../lib/visible-text.js';
import { documentFromJsonText, type DocumentProblem } from './editor-document.js';

const EMPTY_DOCUMENT = '{"type":"doc","content":[]}';
import type { StoryContent } from './story.js';

/**
 * The story form, as the editor's page posts it (and the editor's script, which posts the same
 * fields): what people type is taken as typed (`formText`), then checked here field by field,
 * so a refused form comes back with every value kept and the reason beside its field.
 */

export const storyFormSchema = z.object({
  base: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .optional(),
  headline: formText,
  summary: formText,
  body: formText,
  slug: formText,
  section: formText,
  tags: formText,
  bylineName: repeated(formText),
  bylineEmail: repeated(formText),
  credit: formText,
  language: z.enum(['en', 'ko']).catch('en'),
  translation: formText,
  imageSrc: formText,
  imageAlt: formText,
  imageCaption: formText,
  imageCredit: formText,
});
export type StoryForm = z.infer<typeof storyFormSchema>;

export const LIMITS = {
  headline: 300,
  summary: 1_000,
  tags: 20,
  tag: 60,
  bylines: 10,
  name: 100,
  credit: 200,
  imageText: 1_000,
} as const;

export type StoryField =
  | 'headline'
  | 'summary'
  | 'body'
  | 'slug'
  | 'section'
  | 'tags'
  | 'bylines'
  | 'credit'
  | 'translation'
  | 'image';

export type StoryProblem =
  | { field: 'headline'; kind: 'empty' | 'too_long' }
  | { field: 'summary'; kind: 'too_long' }
  | { field: 'body'; kind: DocumentProblem['code'] }
  | { field: 'slug'; kind: 'invalid' }
  | { field: 'section'; kind: 'unknown' }
  | { field: 'tags'; kind: 'too_many' | 'too_long' }
  | { field: 'bylines'; kind: 'missing' | 'too_many' | 'too_long' | 'email' }
  | { field: 'credit'; kind: 'too_long' }
  | { field: 'translation'; kind: 'invalid' }
  | { field: 'image'; kind: 'src' | 'alt' | 'too_long' };

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

/**
 * Over `max` visible characters, or holding a "character" longer than any real one. Bounded by
 * the limit, not the input: a letter under 29,000 combining marks in a headline was segmented
 * whole before (docs/SECURITY.md, item 27; test/e2e/fuzz-text-fields.test.ts).
 */
function tooLong(text: string, max: number): boolean {
  return visibleLengthProblem(text, max) !== null;
}

function image(form: StoryForm): StoryContent['image'] | StoryProblem {
  const src = form.imageSrc.trim();
  if (src === '') return null;
  let url: URL | null;
  try {
    url = new URL(src);
  } catch {
    url = null;
  }
  if (url?.protocol !== 'https:') return { field: 'image', kind: 'src' };
  const alt = form.imageAlt.trim();
  if (alt === '') return { field: 'image', kind: 'alt' };
  const caption = form.imageCaption.trim();
  const credit = form.imageCredit.trim();
  if ([alt, caption, credit].some((text) => tooLong(text, LIMITS.imageText)))
    return { field: 'image', kind: 'too_long' };
  return { src, alt, ...(caption ? { caption } : {}), ...(credit ? { credit } : {}) };
}

/**
 * The content a form gives, or the first problem with it. `sections`: the slugs a story may be
 * filed under. An empty slug is made from the headline, as a reporter expects.
 */
export function storyContentOf(
  form: StoryForm,
  sections: readonly string[],
): { ok: true; content: StoryContent } | { ok: false; problem: StoryProblem } {
  const fail = (problem: StoryProblem) => ({ ok: false as const, problem });
  const headline = form.headline.trim();
  if (headline === '') return fail({ field: 'headline', kind: 'empty' });
  if (tooLong(headline, LIMITS.headline)) return fail({ field: 'headline', kind: 'too_long' });
  const summary = form.summary.trim();
  if (tooLong(summary, LIMITS.summary)) return fail({ field: 'summary', kind: 'too_long' });
  const body = documentFromJsonText(form.body === '' ? EMPTY_DOCUMENT : form.body);
  if (!body.ok) return fail({ field: 'body', kind: body.problem.code });
  const slug = form.slug.trim() === '' ? slugify(headline) : form.slug.trim().normalize('NFC');
  if (!isValidSlug(slug)) return fail({ field: 'slug', kind: 'invalid' });
  if (!sections.includes(form.section)) return fail({ field: 'section', kind: 'unknown' });
  const tags = [
    ...new Set(
      form.tags
        .split(/[,，、]/)
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ''),
    ),
  ];
  if (tags.length > LIMITS.tags) return fail({ field: 'tags', kind: 'too_many' });
  if (tags.some((tag) => tooLong(tag, LIMITS.tag)))
    return fail({ field: 'tags', kind: 'too_long' });
  const bylines: StoryContent['bylines'] = [];
  for (const [index, raw] of form.bylineName.entries()) {
    const name = raw.trim();
    const email = (form.bylineEmail[index] ?? '').trim();
    if (name === '' && email === '') continue;
    if (name === '' || tooLong(name, LIMITS.name) || !/[\p{L}\p{N}]/u.test(name))
      return fail({ field: 'bylines', kind: 'too_long' });
    if (email !== '' && (!EMAIL.test(email) || email.length > 320))
      return fail({ field: 'bylines', kind: 'email' });
    bylines.push({ name, email: email === '' ? null : email });
  }
  if (bylines.length === 0) return fail({ field: 'bylines', kind: 'missing' });
  if (bylines.length > LIMITS.bylines) return fail({ field: 'bylines', kind: 'too_many' });
  const credit = form.credit.trim();
  if (tooLong(credit, LIMITS.credit)) return fail({ field: 'credit', kind: 'too_long' });
  const translation = form.translation.trim();
  if (translation !== '' && !/^[1-9]\d{0,17}$/.test(translation))
    return fail({ field: 'translation', kind: 'invalid' });
  const picture = image(form);
  if (picture !== null && 'field' in picture) return fail(picture);
  const language: Language = form.language;
  return {
    ok: true,
    content: {
      language,
      slug,
      headline,
      summary,
      body: body.document,
      section: form.section,
      tags,
      bylines,
      credit,
      translationId: translation === '' ? null : translation,
      image: picture,
    },
  };
}

/** A story's content as the form shows it (the editor page's initial values). */
export function formOfContent(content: StoryContent, base: number): StoryForm {
  return {
    base,
    headline: content.headline,
    summary: content.summary,
    body: JSON.stringify(content.body),
    slug: content.slug,
    section: content.section,
    tags: content.tags.join(', '),
    bylineName: content.bylines.map((b) => b.name),
    bylineEmail: content.bylines.map((b) => b.email ?? ''),
    credit: content.credit,
    language: content.language,
    translation: content.translationId ?? '',
    imageSrc: content.image?.src ?? '',
    imageAlt: content.image?.alt ?? '',
    imageCaption: content.image?.caption ?? '',
    imageCredit: content.image?.credit ?? '',
  };
}
