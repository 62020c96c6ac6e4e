import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkQueueFilters,
  clauses,
  count,
  deskPage,
  flag,
  queueFilters,
  type FilterForm,
} from './moderation.schemas.js';

/**
 * The desk's input schemas on their own: the queue's filters (shown back when refused on the
 * queue page, refused outright elsewhere), its page number, and the small values links carry.
 * The routes' answers to them are in moderation.routes.test.ts.
 */

const EMPTY: FilterForm = { section: '', headline: '', author: '', q: '', article: '', reader: '' };

describe('the queue filters', () => {
  it('applies the filters given, in their composed form, and no others', () => {
    const decomposed = '\u1109\u1165\u110b\u116e\u11af'; // 서울, as jamo
    const { filters, problem } = checkQueueFilters({
      ...EMPTY,
      section: 'culture',
      headline: decomposed,
      reader: '42',
    });
    assert.equal(problem, undefined);
    assert.equal(filters.section, 'culture');
    assert.equal(filters.headline, '서울');
    assert.equal(filters.readerId, '42');
    assert.equal(filters.articleId, undefined);
    assert.equal(filters.text, undefined);
  });

  it('names the first refused field, in the form’s order, and applies none of the refused', () => {
    const { filters, problem } = checkQueueFilters({
      ...EMPTY,
      section: 'culture',
      q: '가'.repeat(201),
      article: 'abc',
    });
    assert.equal(problem, 'q');
    assert.equal(filters.section, 'culture');
    assert.equal(filters.text, undefined);
    assert.equal(filters.articleId, undefined);
    for (const [name, value] of [
      ['section', '<b>'],
      ['article', '0'],
      ['reader', '-1'],
      ['author', '가'.repeat(101)],
    ] as const)
      assert.equal(checkQueueFilters({ ...EMPTY, [name]: value }).problem, name, value);
  });

  it('refuses a bad filter outright where it cannot be shown back, and reads a repeated one as none', () => {
    assert.equal(queueFilters.safeParse({ article: 'abc' }).success, false);
    assert.deepEqual(queueFilters.parse({ section: ' culture ', reader: ['1', '2'] }), {
      section: 'culture',
      articleId: undefined,
      readerId: undefined,
      headline: undefined,
      author: undefined,
      text: undefined,
    });
  });
});

describe('the values links and forms carry', () => {
  it('reads the queue page as the first when absent, empty or repeated, and refuses a malformed one', () => {
    assert.equal(deskPage.parse(undefined), 1);
    assert.equal(deskPage.parse(''), 1);
    assert.equal(deskPage.parse(['2', '3']), 1);
    assert.equal(deskPage.parse('12'), 12);
    for (const bad of ['0', 'abc', '1000', '-1'])
      assert.equal(deskPage.safeParse(bad).success, false, bad);
  });

  it('reads a count or a flag only as the desk writes them', () => {
    assert.equal(count.parse('3'), 3);
    assert.equal(count.parse('1000'), undefined);
    assert.equal(count.parse(['1', '2']), undefined);
    assert.equal(count.parse(undefined), undefined);
    assert.equal(flag.parse('1'), true);
    assert.equal(flag.parse('yes'), false);
    assert.equal(flag.parse(undefined), false);
  });

  it('takes one clause or several, and refuses one that is not a clause number', () => {
    assert.deepEqual(clauses.parse(undefined), []);
    assert.deepEqual(clauses.parse('2'), [2]);
    assert.deepEqual(clauses.parse(['1', '7']), [1, 7]);
    assert.equal(clauses.safeParse('0').success, false);
    assert.equal(clauses.safeParse(['1', 'x']).success, false);
  });
});
