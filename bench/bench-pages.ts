import fs from 'node:fs';
import path from 'node:path';
import {
  fetchPage,
  findBenchmarkArticle,
  startBareServer,
  type Page,
  type RunningApp,
  type RunningServer,
} from './bench-app.js';
import { stopChild } from './bench-process.js';

/**
 * The pages the benchmark measures, each with its reference bytes and a bare server that sends
 * exactly those bytes: a ratio means something only if both servers answer with the same page.
 */

export type PageName = 'article' | 'home' | 'section';

/** The section page measured: National is a demo section, and the generator fills it too. */
const SECTION_PATH = '/section/national';

async function fetchOk(url: string): Promise<Page> {
  const page = await fetchPage(url);
  if (page.status !== 200) throw new Error(`GET ${url} answered ${page.status}`);
  return page;
}

/** Where each page is on a running app; the article is the first English one the home page links. */
const REFERENCE: Readonly<Record<PageName, (appUrl: string) => Promise<Page>>> = {
  article: findBenchmarkArticle,
  home: (appUrl) => fetchOk(`${appUrl}/`),
  section: (appUrl) => fetchOk(`${appUrl}${SECTION_PATH}`),
};

export type Target = {
  /** The reference: as the first app asked answered it. */
  readonly page: Page;
  /** Answers every request with the reference's bytes and content-type. */
  readonly bare: RunningServer;
};

export type Targets = {
  /**
   * The page's target, made on first use from the app given (which also puts the page in its
   * cache, when it has one). A later app is checked once to send the same bytes.
   */
  forPage(name: PageName, app: RunningApp): Promise<Target>;
  /** The same for any address of the app, named by the caller (the comment threads). */
  forPath(name: string, pathname: string, app: RunningApp): Promise<Target>;
  stopAll(): Promise<void>;
};

/** Bare servers live until stopAll, so a page measured cached and uncached keeps one yardstick. */
export function createTargets(folder: string): Targets {
  const targets = new Map<string, { target: Target; checkedOn: Set<string> }>();
  const obtain = async (
    name: string,
    app: RunningApp,
    reference: () => Promise<Page>,
  ): Promise<Target> => {
    const known = targets.get(name);
    if (known) {
      if (!known.checkedOn.has(app.url)) {
        known.checkedOn.add(app.url);
        await checkSamePage(app, known.target.page);
      }
      return known.target;
    }
    const page = await reference();
    const { pathname } = new URL(page.url);
    process.stderr.write(`${name}: ${pathname} (${page.body.length} bytes, ${page.contentType})\n`);
    const bodyFile = path.join(folder, `${name}.html`);
    fs.writeFileSync(bodyFile, page.body);
    const target = { page, bare: await startBareServer(bodyFile, page.contentType) };
    targets.set(name, { target, checkedOn: new Set([app.url]) });
    return target;
  };
  return {
    forPage: (name, app) => obtain(name, app, () => REFERENCE[name](app.url)),
    forPath: (name, pathname, app) => obtain(name, app, () => fetchOk(`${app.url}${pathname}`)),
    async stopAll() {
      await Promise.all([...targets.values()].map(({ target }) => stopChild(target.bare.child)));
      targets.clear();
    },
  };
}

/** Another app must send the very bytes the bare server sends, or the ratio compares two pages. */
async function checkSamePage(app: RunningApp, reference: Page): Promise<void> {
  const again = await fetchPage(new URL(new URL(reference.url).pathname, app.url).href);
  if (again.status !== 200 || !again.body.equals(reference.body)) {
    process.stderr.write(
      `\n!!! ${new URL(reference.url).pathname}: the restarted app answers ${again.status} with ${again.body.length} bytes, not the ${reference.body.length} measured first.\n\n`,
    );
  }
}
