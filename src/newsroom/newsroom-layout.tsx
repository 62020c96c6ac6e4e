import type { FastifyInstance } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Pages } from '../http/pages.js';
import { editionPrefix, type Language } from '../lib/language.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import type { NewsroomDeps } from './newsroom.service.js';
import type { NewsroomRole } from './story.js';

/** What registers one part of the newsroom's routes, for one edition. */
export type NewsroomRegistrar = (
  app: FastifyInstance,
  deps: NewsroomDeps,
  pages: Pages,
  language: Language,
) => void;

/** The newsroom's addresses, one place, so pages and tests name them the same way. */
export const newsroomPath = {
  home: (language: Language) => `${editionPrefix(language)}/newsroom`,
  mine: (language: Language) => `${editionPrefix(language)}/newsroom?mine=1`,
  review: (language: Language) => `${editionPrefix(language)}/newsroom?review=1`,
  create: (language: Language) => `${editionPrefix(language)}/newsroom/stories/new`,
  story: (language: Language, id: string) => `${editionPrefix(language)}/newsroom/stories/${id}`,
  staff: (language: Language) => `${editionPrefix(language)}/newsroom/staff`,
};

export type NewsroomSection = 'stories' | 'mine' | 'review' | 'new' | 'staff' | 'story';

/**
 * A newsroom page: the site's layout (so a reporter sees the paper's masthead), never indexed,
 * with the newsroom's own navigation above the page's content.
 */
export function NewsroomLayout({
  ctx,
  title,
  current,
  role,
  path,
  bundles,
  children,
}: {
  ctx: ViewContext;
  title: string;
  current: NewsroomSection;
  role: NewsroomRole;
  /** This page's address without the edition prefix (`/newsroom/stories/42`). */
  path: string;
  bundles?: readonly string[];
  children: ComponentChildren;
}) {
  const { t, language } = ctx;
  const other: Language = language === 'en' ? 'ko' : 'en';
  const links: { section: NewsroomSection; href: string; label: string }[] = [
    { section: 'stories', href: newsroomPath.home(language), label: t.newsroomNavStories },
    { section: 'mine', href: newsroomPath.mine(language), label: t.newsroomNavMine },
    { section: 'review', href: newsroomPath.review(language), label: t.newsroomNavReview },
    { section: 'new', href: newsroomPath.create(language), label: t.newsroomNavNew },
    ...(role === 'admin'
      ? [
          {
            section: 'staff' as const,
            href: newsroomPath.staff(language),
            label: t.newsroomNavStaff,
          },
        ]
      : []),
  ];
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: `${title} | ${t.newsroomTitle}`,
        canonicalPath: `${editionPrefix(language)}${path}`,
        switchPath: `${editionPrefix(other)}${path}`,
        noindex: true,
        ...(bundles ? { bundles } : {}),
      }}
    >
      <div class="newsroom">
        <nav class="newsroom-nav" aria-label={t.newsroomNavigation}>
          <ul>
            {links.map((link) => (
              <li key={link.section}>
                <a href={link.href} aria-current={link.section === current ? 'page' : undefined}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {children}
      </div>
    </Layout>
  );
}
