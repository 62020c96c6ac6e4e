import { editionPrefix, type Language } from '../lib/language.js';
import type { PageMeta, ViewContext } from './site.js';

/** Pieces every page with a form uses: the CSRF field, a field's error, a private page's meta. */

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

export function FieldError({ id, text }: { id: string; text: string | undefined }) {
  return text ? (
    <p id={id} class="field-error" role="alert">
      {text}
    </p>
  ) : null;
}

/** A page that belongs to one person or a form: never indexed, and the same path in each edition. */
export function privatePageMeta(ctx: ViewContext, title: string, path: string): PageMeta {
  const other: Language = ctx.language === 'en' ? 'ko' : 'en';
  return {
    title,
    canonicalPath: `${editionPrefix(ctx.language)}${path}`,
    switchPath: `${editionPrefix(other)}${path}`,
    noindex: true,
  };
}
