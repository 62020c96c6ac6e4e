import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { draftOf, parseEditorForm } from './policy-editor-form.js';

/** The editor's form as @fastify/formbody hands it over: a field sent once is a string. */

describe('the policy editor form', () => {
  it('reads a policy of one clause, whose fields arrive as plain strings', () => {
    const form = parseEditorForm({
      basedOn: '3',
      introEn: 'Rules.',
      introKo: '원칙입니다.',
      noteEn: '',
      noteKo: '',
      clauseNumber: '4',
      clauseKept: '1',
      titleEn: 'Be civil',
      titleKo: '예의',
      textEn: 'No insults.',
      textKo: '모욕하지 마세요.',
    });
    assert.ok(form);
    assert.deepEqual(draftOf(form).clauses, [
      {
        number: 4,
        title: { en: 'Be civil', ko: '예의' },
        text: { en: 'No insults.', ko: '모욕하지 마세요.' },
        reportable: true,
      },
    ]);
  });

  it('marks a clause reports may not cite when its box is ticked', () => {
    const form = parseEditorForm({
      basedOn: '1',
      introEn: 'Rules.',
      introKo: '원칙입니다.',
      noteEn: '',
      noteKo: '',
      clauseNumber: ['1', '8'],
      clauseKept: ['1', '1'],
      titleEn: ['One', 'Decisions and appeals'],
      titleKo: ['하나', '결정과 이의 제기'],
      textEn: ['First.', 'How the board decides.'],
      textKo: ['첫째.', '심의위원회의 결정 방식.'],
      notReportable: '8',
    });
    assert.ok(form);
    assert.deepEqual(
      draftOf(form).clauses.map((c) => [c.number, c.reportable]),
      [
        [1, true],
        [8, false],
      ],
    );
  });

  it('drops ticked and untouched new rows but keeps a kept clause that was emptied', () => {
    const form = parseEditorForm({
      basedOn: '1',
      introEn: 'Rules.',
      introKo: '원칙입니다.',
      noteEn: 'Changed.',
      noteKo: '바뀜.',
      clauseNumber: ['1', '2', '9', '10'],
      clauseKept: ['1', '1', '0', '0'],
      titleEn: ['One', '', 'New', ''],
      titleKo: ['하나', '', '새 조항', ''],
      textEn: ['First.', '', 'Added.', ' '],
      textKo: ['첫째.', '', '추가.', ''],
      remove: '1',
    });
    assert.ok(form);
    assert.deepEqual(
      draftOf(form).clauses.map((c) => c.number),
      [2, 9],
    );
  });

  it('refuses a form whose repeated fields do not line up, or that is not the editor’s', () => {
    const base = { basedOn: '1', introEn: 'a', introKo: '가', noteEn: '', noteKo: '' };
    assert.equal(
      parseEditorForm({ ...base, clauseNumber: ['1', '2'], clauseKept: '1', titleEn: ['a', 'b'] }),
      undefined,
    );
    assert.equal(parseEditorForm({ ...base, basedOn: '0' }), undefined);
    assert.equal(parseEditorForm({ ...base, clauseNumber: 'x', clauseKept: '1' }), undefined);
    assert.equal(parseEditorForm(undefined), undefined);
    assert.ok(parseEditorForm(base), 'a form with no clauses is read (and refused later)');
  });
});
