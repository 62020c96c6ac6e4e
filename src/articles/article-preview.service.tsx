import type { VNode } from 'preact';
import type { ViewContext } from '../views/site.js';
import type { Article } from './article.js';
import { ArticlePage } from './article-page.js';

/**
 * The article page for a version not yet published, exactly as readers will see it once it is
 * (the same view, with a banner saying it is a preview, and never indexed). The newsroom builds
 * the Article with `previewArticle` (article-row.service.ts).
 */
export function articlePreviewPage(ctx: ViewContext, article: Article, banner: string): VNode {
  return <ArticlePage ctx={ctx} article={article} preview={banner} />;
}
