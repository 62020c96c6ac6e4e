import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { formText, repeated } from './schemas.js';

describe('repeated form fields', () => {
  it('keeps every value of a field sent several times, even with an item that catches', () => {
    assert.deepEqual(repeated(formText).parse(['김민지', '', 'Park']), ['김민지', '', 'Park']);
  });

  it('reads a field sent once as a list of one', () => {
    const form = z.object({ name: repeated(formText) });
    assert.deepEqual(form.parse({ name: '김민지' }).name, ['김민지']);
  });
});
