import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { EVERYTHING, MAX_NAMED_ARTICLES, articlesChanged } from '../lib/content-change.js';
import { decodeContentChange, encodeContentChange } from './db-notify.js';
import { silentLog } from './db-test.js';

/** A logger that keeps the levels and messages it was given. */
function capture() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const text of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(text) as { level: number; msg: string });
      callback();
    },
  });
  return { lines, log: pino({ level: 'info' }, stream) };
}

describe('content change payloads', () => {
  it('carry the articles named, and everything, through encoding and back', () => {
    for (const change of [articlesChanged(['12', '7']), articlesChanged([]), EVERYTHING]) {
      assert.deepEqual(decodeContentChange(encodeContentChange(change), silentLog), change);
    }
  });

  it('name each article once', () => {
    assert.deepEqual(articlesChanged(['3', '3', '4']), { kind: 'articles', ids: ['3', '4'] });
  });

  it('become everything past the number of articles a payload names', () => {
    const ids = Array.from({ length: MAX_NAMED_ARTICLES + 1 }, (_, i) => String(i + 1));
    assert.deepEqual(articlesChanged(ids), EVERYTHING);
    const most = articlesChanged(ids.slice(1).map((id) => `${id}000000000000000`));
    assert.equal(most.kind, 'articles');
    // PostgreSQL refuses a payload of 8000 bytes: the most a change names stays far below.
    assert.ok(Buffer.byteLength(encodeContentChange(most)) < 8000);
  });

  it('send everything rather than a payload PostgreSQL would refuse', () => {
    const huge = { kind: 'articles', ids: ['x'.repeat(9000)] } as const;
    assert.deepEqual(JSON.parse(encodeContentChange(huge)), EVERYTHING);
  });

  it('read a payload that does not parse as everything, and log it at warn', () => {
    for (const payload of ['articles', 'restore', '', '{"kind":"articles"}', '{"ids":["1"]}']) {
      const { lines, log } = capture();
      assert.deepEqual(decodeContentChange(payload, log), EVERYTHING, payload);
      assert.equal(lines.length, 1, payload);
      assert.equal(lines[0]?.level, 40, 'warn');
    }
    const { lines, log } = capture();
    decodeContentChange(encodeContentChange(articlesChanged(['1'])), log);
    assert.equal(lines.length, 0, 'a payload that parses is not logged');
  });
});
