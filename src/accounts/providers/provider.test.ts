import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanAvatarUrl, cleanEmail, cleanName, isAllowedEndpoint } from './provider.js';

describe('what we take over from a provider', () => {
  it('trims a name and folds its inner whitespace', () => {
    assert.equal(cleanName('  김\t 바이라인\n'), '김 바이라인');
  });

  it('keeps a 100-character name and drops a 101-character one rather than cutting it', () => {
    assert.equal(cleanName('가'.repeat(100)), '가'.repeat(100));
    assert.equal(cleanName('가'.repeat(101)), undefined);
    // One visible character each, though several code points: 100 of them still fit.
    assert.equal(cleanName('👩‍💻'.repeat(100))?.length, '👩‍💻'.length * 100);
  });

  it('drops a name that is empty, not text, or hides control characters', () => {
    for (const value of ['', '   ', 42, null, '김\u0000독자', 'abc\u202Edef']) {
      assert.equal(cleanName(value), undefined, JSON.stringify(value));
    }
  });

  it('takes only https avatars, or http on this machine', () => {
    assert.equal(cleanAvatarUrl('https://img.example/a.png'), 'https://img.example/a.png');
    assert.equal(cleanAvatarUrl('http://127.0.0.1:9/a.png'), 'http://127.0.0.1:9/a.png');
    for (const value of ['http://img.example/a.png', 'javascript:alert(1)', 'data:,x', '/a.png']) {
      assert.equal(cleanAvatarUrl(value), undefined, value);
    }
  });

  it('takes an e-mail address only when it looks like one', () => {
    assert.equal(cleanEmail('reader@example.com'), 'reader@example.com');
    assert.equal(cleanEmail('not an address'), undefined);
    assert.equal(cleanEmail(undefined), undefined);
  });

  it('allows plain http only to loopback hosts', () => {
    const allowed = [
      'https://idp.example',
      'http://127.0.0.1:1',
      'http://[::1]:1',
      'http://localhost',
    ];
    const refused = [
      'http://idp.example',
      'http://127.0.0.2',
      'http://10.0.0.1',
      'ftp://localhost',
    ];
    for (const url of allowed) assert.equal(isAllowedEndpoint(new URL(url)), true, url);
    for (const url of refused) assert.equal(isAllowedEndpoint(new URL(url)), false, url);
  });
});
