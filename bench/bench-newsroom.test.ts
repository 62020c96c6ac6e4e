import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testApp, type TestApp } from '../src/accounts/accounts.testing.js';
import type { DatabaseHandle } from '../src/db/db.js';
import { testBackends } from '../src/db/db-test.js';
import { documentText } from '../src/newsroom/editor-document.js';
import { createStory, listRevisions } from '../src/newsroom/newsroom.service.js';
import { ensureSections, staffMember } from '../src/newsroom/newsroom.testing.js';
import { chainOf, revisionOf, saveRequest, type Chain } from './bench-newsroom.js';
import { BODY_CHARACTERS, koreanStory } from './generate-story.js';

/**
 * story-save measures nothing unless the app takes its saves: these send the benchmark's own
 * requests to the app in-process, so a change of the story form or the autosave route that the
 * benchmark missed fails here rather than in a rare benchmark run.
 */

for (const backend of testBackends()) {
  describe(`story-save's requests (${backend.name})`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;

    before(async () => {
      handle = await backend.open();
      await ensureSections(handle);
      t = await testApp(handle);
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    async function seededChain(index: number): Promise<{ id: string; chain: Chain }> {
      const editor = await staffMember(t, 'editor', `편집자 ${String(index)}`);
      const token = editor.browser.cookies.get('byline_session');
      assert.ok(token);
      const content = koreanStory(1, index, 'national', `test${String(process.pid)}`);
      const { id, revision } = await createStory(t.deps, editor.actor, content, {
        slugGiven: true,
      });
      return { id, chain: chainOf({ id, revision, token, content }) };
    }

    async function send(chain: Chain, save: number) {
      const request = saveRequest(chain, save);
      const response = await t.app.inject({
        method: 'POST',
        url: request.path,
        headers: request.headers,
        payload: request.body,
      });
      return { status: response.statusCode, body: response.rawPayload, text: response.body };
    }

    it('builds a Korean story of about 4,000 characters', () => {
      const content = koreanStory(1, 0, 'national', 'x');
      const characters = documentText(content.body).length;
      assert.ok(characters >= BODY_CHARACTERS, String(characters));
      assert.ok(characters < BODY_CHARACTERS + 1_500, String(characters));
      assert.match(content.headline, /[가-힣]/);
    });

    it('saves one after another, each based on the revision the previous answered', async () => {
      const { id, chain } = await seededChain(1);
      for (const [save, expected] of [
        [1, 2],
        [2, 3],
        [3, 4],
      ] as const) {
        const answer = await send(chain, save);
        assert.equal(answer.status, 200, answer.text);
        const revision = revisionOf(answer);
        assert.equal(revision, expected);
        chain.base = revision;
      }
      const revisions = await listRevisions(t.deps, id);
      assert.equal(revisions.length, 4);
    });

    it('counts a save on a stale base as failed: the app answers a conflict', async () => {
      const { chain } = await seededChain(2);
      const first = await send(chain, 1);
      assert.equal(revisionOf(first), 2);
      const stale = await send(chain, 2);
      assert.equal(stale.status, 409, stale.text);
      assert.equal(revisionOf(stale), undefined);
    });
  });
}
