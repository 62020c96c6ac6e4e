import { createSession } from '../../src/accounts/sessions.js';
import { testApp, testClock, type TestApp } from '../../src/accounts/accounts.testing.js';
import type { DatabaseHandle } from '../../src/db/db.js';
import { testBackends } from '../../src/db/db-test.js';
import {
  correctStory,
  createStory,
  getStory,
  publishNow,
  saveStory,
  scheduleStory,
  sendBack,
  submitStory,
} from '../../src/newsroom/newsroom.service.js';
import { ensureSections, staffAccount, storyContent } from '../../src/newsroom/newsroom.testing.js';
import type { StoryActor } from '../../src/newsroom/story.js';

/**
 * A newsroom with something in it, for the checks that look at its pages (axe, screenshots): the
 * app in this process on PGlite, a fixed clock, and stories in every state the list shows, one of
 * them left late (the scheduler does not run here), one published with a correction in each
 * edition, one sent back with a note. Signed-in sessions for an editor and an admin (the staff
 * page is the admin's).
 */

export type NewsroomFixture = {
  baseUrl: string;
  /** Session cookies' values, by role. */
  tokens: { editor: string; admin: string };
  /** Story ids and article paths, by name: draft, review, live, liveKo, scheduled, sentBack. */
  made: Map<string, string>;
  close(): Promise<void>;
};

const paragraph = (text: string) => ({
  type: 'doc' as const,
  content: [{ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] }],
});

async function stories(
  t: TestApp,
  editor: StoryActor,
  reporter: StoryActor,
  made: Map<string, string>,
) {
  const deps = t.deps;
  const draft = await createStory(deps, reporter, storyContent({ headline: 'Draft on fares' }));
  made.set('draft', draft.id);
  const korean = await createStory(
    deps,
    reporter,
    storyContent({
      language: 'ko',
      section: 'business',
      headline: '서울 지하철 요금 내년 3월 150원 인상',
      summary: '시는 기본요금을 1,400원에서 1,550원으로 올린다고 밝혔다.',
      body: paragraph(
        '서울시는 지하철 기본요금을 내년 3월부터 150원 올린다고 7일 밝혔다. 시는 적자 폭이 커져 인상이 불가피하다고 설명했다.',
      ),
      bylines: [{ name: '김민지', email: 'minji@example.com' }],
    }),
  );
  await submitStory(deps, reporter, korean.id);
  made.set('review', korean.id);
  const back = await createStory(deps, reporter, storyContent({ headline: 'Night buses return' }));
  await submitStory(deps, reporter, back.id);
  await sendBack(deps, editor, back.id, '노선 수를 확인해 주세요. Check the number of routes.');
  made.set('sentBack', back.id);

  const content = storyContent({ headline: 'Market opens higher on chip exports' });
  const live = await createStory(deps, editor, content);
  await publishNow(deps, editor, live.id);
  await correctStory(deps, editor, live.id, {
    kind: 'correction',
    body: 'An earlier version gave the wrong closing figure for the KOSPI.',
  });
  await saveStory(deps, editor, live.id, 1, { ...content, summary: 'Revised summary.' });
  await submitStory(deps, editor, live.id);
  made.set('live', live.id);
  made.set('livePath', (await getStory(deps, live.id))?.path ?? '/');

  const liveKo = await createStory(
    deps,
    editor,
    storyContent({
      language: 'ko',
      headline: '반도체 수출 늘며 코스피 상승 출발',
      summary: '외국인 매수에 지수가 1% 넘게 올랐다.',
      body: paragraph('코스피가 반도체 수출 호조에 힘입어 상승 출발했다.'),
      bylines: [{ name: '김민지', email: null }],
    }),
  );
  await publishNow(deps, editor, liveKo.id);
  await correctStory(deps, editor, liveKo.id, {
    kind: 'clarification',
    body: '처음 기사는 지수의 출발 시각을 밝히지 않았습니다. 오전 9시입니다.',
  });
  made.set('liveKoPath', (await getStory(deps, liveKo.id))?.path ?? '/ko');

  const due = new Date(Math.ceil((t.clock.now.getTime() + 60_000) / 60_000) * 60_000);
  const scheduled = await createStory(deps, editor, storyContent({ headline: 'Budget at noon' }));
  await scheduleStory(deps, editor, scheduled.id, due);
  made.set('scheduled', scheduled.id);
  // The scheduler does not run here: the story is now more than a minute late.
  t.clock.advance(180);
}

async function staffToken(t: TestApp, accountId: string): Promise<string> {
  const { token } = await createSession(t.deps, {
    accountId,
    kind: 'staff',
    method: 'password+totp',
    userAgent: 'newsroom-fixture',
    ip: '127.0.0.1',
  });
  return token;
}

/** Opens the newsroom with its stories and listens on a loopback port. */
export async function openNewsroom(): Promise<NewsroomFixture> {
  const backend = testBackends()[0];
  if (!backend) throw new Error('no test database');
  const handle: DatabaseHandle = await backend.open();
  const t = await testApp(handle, { clock: testClock(new Date('2026-12-07T09:00:00Z')) });
  await ensureSections(handle);
  const editor = await staffAccount(t.deps, 'editor', '박편집');
  const reporter = await staffAccount(t.deps, 'reporter', 'Kim Min-ji');
  const admin = await staffAccount(t.deps, 'admin', '최국장');
  const made = new Map<string, string>();
  await stories(
    t,
    { accountId: editor.id, role: 'editor' },
    { accountId: reporter.id, role: 'reporter' },
    made,
  );
  const tokens = { editor: await staffToken(t, editor.id), admin: await staffToken(t, admin.id) };
  const baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl,
    tokens,
    made,
    close: async () => {
      await t.app.close();
      await handle.close();
    },
  };
}
