import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { createSession } from '../src/accounts/sessions.js';
import { loadConfig } from '../src/config.js';
import type { AppDeps } from '../src/deps.js';
import { createLogger, openMigratedDatabase } from '../src/main.js';
import { createStory, sectionChoices } from '../src/newsroom/newsroom.service.js';
import type { StoryContent } from '../src/newsroom/story.js';
import { koreanStory } from './generate-story.js';

/**
 * The save benchmark's data: `node dist/bench/generate-newsroom.js --out FILE [--stories 8]
 * [--seed 1]`, on the app's database (DATABASE_URL, else BYLINE_DATA_DIR; on PGlite no server
 * may hold the folder). Writes what it made to FILE.
 *
 * - The section `national`, when the database has none of that name (as with --articles 0).
 * - One editor per story (role `editor`), each with a staff session as signing in with a
 *   password and TOTP makes one (createSession, kind `staff`): the token goes to FILE.
 * - One Korean story per editor, started through createStory (the real write path: a draft row
 *   and its revision 1), with a body of about BODY_CHARACTERS visible characters built by the
 *   article generator's Korean sentence builder and held as the editor's JSON document, a
 *   headline, summary, byline, section and tags.
 */

export type SeededStory = {
  id: string;
  /** The revision createStory made: the first save is based on it. */
  revision: number;
  /** The editor's staff session cookie's value. */
  token: string;
  content: StoryContent;
};

/** What the benchmark reads back from FILE. */
export type SeededNewsroom = { stories: SeededStory[] };

type Options = { out: string; stories: number; seed: number };

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      out: { type: 'string' },
      stories: { type: 'string', default: '8' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (values.out === undefined) throw new Error('--out FILE is required');
  return {
    out: values.out,
    stories: wholeNumber('--stories', values.stories, 1),
    seed: wholeNumber('--seed', values.seed, 0),
  };
}

function wholeNumber(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${flag} must be a whole number ≥ ${min}, not "${text}"`);
  return value;
}

function progress(message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const config = loadConfig(process.env);
  const log = createLogger(config);
  const handle = await openMigratedDatabase(config, log, 'bench generate-newsroom');
  const started = performance.now();
  try {
    const deps: AppDeps = {
      db: handle.db,
      config,
      log,
      clock: () => new Date(),
      contentChanged: () => undefined,
    };
    // Generated articles bring their sections; with --articles 0 there may be none to pick.
    await handle.db
      .insertInto('sections')
      .values({ slug: 'national', name_en: 'National', name_ko: '사회', position: 1 })
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
    const sections = await sectionChoices(deps);
    const section = sections.find((s) => s.slug === 'national') ?? sections[0];
    if (section === undefined) throw new Error('the database has no section to file stories in');
    const run = randomBytes(3).toString('hex');
    const stories: SeededStory[] = [];
    for (let i = 0; i < options.stories; i += 1) {
      const editor = await handle.db
        .insertInto('accounts')
        .values({
          display_name: `편집자 ${String(i + 1)}`,
          role: 'editor',
          staff_email: `bench-editor-${run}-${String(i + 1)}@byline.example`,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const { token } = await createSession(deps, {
        accountId: editor.id,
        kind: 'staff',
        method: 'password+totp',
        userAgent: 'byline-bench',
        ip: '127.0.0.1',
      });
      const content = koreanStory(options.seed, i, section.slug, run);
      const actor = { accountId: editor.id, role: 'editor' as const };
      const { id, revision } = await createStory(deps, actor, content, { slugGiven: true });
      stories.push({ id, revision, token, content });
    }
    const seeded: SeededNewsroom = { stories };
    fs.writeFileSync(options.out, JSON.stringify(seeded));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    progress(
      `${String(options.stories)} editors, sessions and Korean stories made in ${seconds} s`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`generate-newsroom failed: ${text}\n`);
  process.exitCode = 1;
});
