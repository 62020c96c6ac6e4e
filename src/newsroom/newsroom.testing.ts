import { createSession } from '../accounts/sessions.js';
import { TestBrowser, type TestApp } from '../accounts/accounts.testing.js';
import type { DatabaseHandle } from '../db/db.js';
import type { NewsroomRole, StoryActor, StoryContent } from './story.js';

/** Members of staff, sections and stories for the newsroom's tests, on the real database. */

let accountNumber = 0;

export type Member = { id: string; name: string; actor: StoryActor; browser: TestBrowser };

/** A member of staff in a newsroom role (or a moderator), as a row and an actor. */
export async function staffAccount(
  handle: Pick<DatabaseHandle, 'db'>,
  role: NewsroomRole | 'moderator',
  name: string,
): Promise<{ id: string; name: string }> {
  accountNumber += 1;
  const row = await handle.db
    .insertInto('accounts')
    .values({
      display_name: name,
      role,
      staff_email: `newsroom${String(process.pid)}-${String(accountNumber)}@example.com`,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, name };
}

/** A member of staff signed in (password and TOTP) in a browser holding a CSRF cookie. */
export async function staffMember(t: TestApp, role: NewsroomRole, name: string): Promise<Member> {
  const account = await staffAccount(t.deps, role, name);
  const { token } = await createSession(t.deps, {
    accountId: account.id,
    kind: 'staff',
    method: 'password+totp',
    userAgent: 'newsroom.testing',
    ip: '203.0.113.20',
  });
  const browser = new TestBrowser(t.app);
  browser.cookies.set('byline_session', token);
  await browser.get('/login');
  return { ...account, actor: { accountId: account.id, role }, browser };
}

/** The sections a story may be filed under (the newsroom picks, it does not make them). */
export async function ensureSections(handle: DatabaseHandle): Promise<void> {
  await handle.db
    .insertInto('sections')
    .values([
      { slug: 'national', name_en: 'National', name_ko: '사회', position: 1 },
      { slug: 'business', name_en: 'Business', name_ko: '경제', position: 2 },
    ])
    .onConflict((oc) => oc.column('slug').doNothing())
    .execute();
}

let storyNumber = 0;

/** A story's content, valid, with a slug of its own unless one is given. */
export function storyContent(overrides: Partial<StoryContent> = {}): StoryContent {
  storyNumber += 1;
  return {
    language: 'en',
    slug: `story-${String(process.pid)}-${String(storyNumber)}`,
    headline: 'Subway fares rise in March',
    summary: 'The city raises the base fare by 150 won.',
    body: {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Seoul will raise subway fares.' }] },
      ],
    },
    section: 'national',
    tags: ['Transport'],
    bylines: [{ name: 'Sarah Kim', email: 'kim.sarah@example.com' }],
    credit: 'with the Korea JoongAng Daily',
    translationId: null,
    image: null,
    ...overrides,
  };
}
