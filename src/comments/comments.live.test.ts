import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends, testConfig, testDeps } from '../db/db-test.js';
import {
  ClientStreams,
  CommentStream,
  parseLiveMessage,
  type LiveSubscriber,
} from './comments.live.js';
import { COMMENTS_CHANNEL } from './comments.queries.js';
import { postComment } from './comments.service.js';
import { voteOnComment } from './comments.voting.js';
import { publishedArticle, resetComments, testReader } from './comments.testing.js';

/** The per-process hub of live comments, fed by hand the payloads NOTIFY would carry. */

function subscriber(articleId: string, accountId: string | null) {
  const chunks: string[] = [];
  const s: LiveSubscriber & { chunks: string[]; ended: boolean } = {
    articleId,
    language: 'ko',
    accountId,
    chunks,
    ended: false,
    write: (chunk) => void chunks.push(chunk),
    end: () => {
      s.ended = true;
    },
  };
  return s;
}

for (const backend of testBackends()) {
  describe(`live comments on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    before(async () => {
      handle = await backend.open();
      await resetComments(handle);
    });
    after(async () => {
      await handle.close();
    });

    it('ignores payloads that are not ours', () => {
      assert.equal(parseLiveMessage('not json'), undefined);
      assert.equal(parseLiveMessage('{"a":1,"c":"2","k":"posted"}'), undefined);
      assert.equal(parseLiveMessage('{"a":"1","c":"2","k":"deleted"}'), undefined);
      assert.deepEqual(parseLiveMessage('{"a":"1","c":"2","k":"posted"}'), {
        articleId: '1',
        commentId: '2',
        kind: 'posted',
      });
      assert.equal(parseLiveMessage('{"a":"1","c":"2","k":"voted","u":-1,"d":0}'), undefined);
      assert.equal(parseLiveMessage('{"a":"1","c":"2","k":"voted","u":1}'), undefined);
    });

    it('holds a few streams per client address, and gives each back once', () => {
      const clients = new ClientStreams(2);
      const first = clients.take('203.0.113.1');
      const second = clients.take('203.0.113.1');
      assert.ok(first && second);
      assert.equal(clients.take('203.0.113.1'), undefined, 'a third is over the limit of 2');
      assert.ok(clients.take('203.0.113.2'), 'another address has its own count');
      first();
      first();
      assert.ok(clients.take('203.0.113.1'), 'one given back, one more may open');
      assert.equal(clients.take('203.0.113.1'), undefined, 'giving back twice frees one, not two');
    });

    it("sends a vote's counts from the channel to every listener of that article alone", async () => {
      const deps = testDeps(handle, { config: testConfig() });
      const article = await publishedArticle(deps);
      const other = await publishedArticle(deps);
      const author = await testReader(deps, '작성자');
      const voter = await testReader(deps, '공감한 독자');
      const posted = await postComment(deps, {
        articleId: article.id,
        authorId: author,
        body: '공감 받을 댓글',
      });
      // What the database delivers on the channel, heard as every app process hears it.
      let heard: (payload: string) => void = () => undefined;
      const announced = new Promise<string>((resolve) => {
        heard = resolve;
      });
      const stop = await handle.listen(
        COMMENTS_CHANNEL,
        (payload) => {
          if (payload.includes('"voted"')) heard(payload);
        },
        () => undefined,
      );
      const changed: string[] = [];
      const stream = new CommentStream(
        deps,
        () => '',
        (articleId) => changed.push(articleId),
      );
      const listeners = [subscriber(article.id, null), subscriber(article.id, '77')];
      const elsewhere = subscriber(other.id, null);
      for (const s of [...listeners, elsewhere]) stream.subscribe(s);
      await voteOnComment(deps, { commentId: posted.id, accountId: voter, vote: 'up' });
      const payload = await announced;
      await stop();
      await stream.receive(payload);
      for (const s of listeners)
        assert.deepEqual(s.chunks, [
          `event: votes\ndata: ${JSON.stringify({ id: posted.id, up: 1, down: 0 })}\n\n`,
        ]);
      assert.deepEqual(elsewhere.chunks, []);
      assert.deepEqual(changed, [article.id]);
      stream.close();
    });

    it('renders once for anonymous readers, apart for each logged-in one, and only for that article', async () => {
      const deps = testDeps(handle, { config: testConfig() });
      const article = await publishedArticle(deps);
      const other = await publishedArticle(deps);
      const author = await testReader(deps, '작성자');
      const changed: string[] = [];
      const renders: (string | null)[] = [];
      const stream = new CommentStream(
        deps,
        (comment, s) => {
          renders.push(s.accountId);
          return `<li>${comment.body}</li>`;
        },
        (articleId) => changed.push(articleId),
        (s) => (s.accountId === null ? `anonymous:${s.language}` : undefined),
        3,
      );
      const anonymous = [subscriber(article.id, null), subscriber(article.id, null)];
      const reader = subscriber(article.id, '77');
      const elsewhere = subscriber(other.id, null);
      const removers = [...anonymous, reader, elsewhere].map((s) => stream.subscribe(s));
      assert.equal(removers[3], undefined, 'a fourth subscriber is over the limit of 3');
      const posted = await postComment(deps, {
        articleId: article.id,
        authorId: author,
        body: '실시간',
      });
      await stream.receive(JSON.stringify({ a: article.id, c: posted.id, k: 'posted' }));
      assert.deepEqual(renders, [null, '77']);
      for (const s of [...anonymous, reader]) {
        assert.equal(s.chunks.length, 1);
        assert.match(
          s.chunks[0] ?? '',
          new RegExp(`^id: ${posted.id}\\nevent: comment\\ndata: .*실시간`),
        );
      }
      assert.deepEqual(changed, [article.id]);
      // A change (a vote, an edit) drops the cached page but sends nothing.
      await stream.receive(JSON.stringify({ a: article.id, c: posted.id, k: 'changed' }));
      assert.equal(reader.chunks.length, 1);
      assert.deepEqual(changed, [article.id, article.id]);
      removers[2]?.();
      assert.equal(stream.count, 2);
      stream.close();
      assert.ok(anonymous.every((s) => s.ended));
      assert.equal(stream.count, 0);
    });
  });
}
