import { editionPrefix } from '../lib/language.js';
import type { ViewContext } from '../views/site.js';

/**
 * The comment area under an article, as a reader who is not logged in sees it. Login and
 * comments arrive with their own issues; until then the login link leads to a page that says
 * login is not configured yet.
 */
export function CommentArea({ ctx, returnTo }: { ctx: ViewContext; returnTo: string }) {
  const { t, site, language } = ctx;
  const prefix = editionPrefix(language);
  const loginHref = `${prefix}/login?returnTo=${encodeURIComponent(returnTo)}`;
  return (
    <section class="comments" aria-labelledby="comments-heading">
      <h2 id="comments-heading">{t.comments}</h2>
      <p class="comments-login">
        {t.commentsLoginPrompt} <a href={loginHref}>{t.commentsLogin}</a>
      </p>
      <p class="comments-policy">
        {t.commentsPolicyBefore} <a href={`${prefix}/policy`}>{t.commentsPolicy}</a>
        {t.commentsPolicyAfter}
      </p>
      <p class="comments-counter">
        <span class="visually-hidden">{t.commentsCounterLabel} </span>
        {`(0/${site.commentMaxLength}${site.commentCounterUnit})`}
      </p>
    </section>
  );
}
