import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hash } from '@node-rs/argon2';
import {
  ARGON2_HASH_BYTES,
  ARGON2_MEMORY_KIB,
  ARGON2_PARALLELISM,
  ARGON2_PASSES,
  PASSWORD_MAX_CODE_POINTS,
  dummyVerify,
  hashPassword,
  needsRehash,
  passwordProblem,
  verifyPassword,
} from './password.js';

// 64 Hangul syllables, no spaces: 64 code points, 192 bytes of UTF-8.
const HANGUL_64 =
  '동해물과백두산이마르고닳도록하느님이보우하사우리나라만세무궁화삼천리화려강산대한사람대한으로길이보전남산위에저소나무철갑을두른듯';
// 64 single-code-point emoji (U+1F600 to U+1F63F): 128 UTF-16 units.
const EMOJI_64 = String.fromCodePoint(...Array.from({ length: 64 }, (_, i) => 0x1f600 + i));

describe('password policy', () => {
  it('accepts a 64-character Hangul password and a 64-emoji password', () => {
    assert.equal(Array.from(HANGUL_64).length, 64);
    assert.equal(Array.from(EMOJI_64).length, 64);
    assert.equal(EMOJI_64.length, 128);
    assert.equal(passwordProblem(HANGUL_64), null);
    assert.equal(passwordProblem(EMOJI_64), null);
  });

  it('refuses 7 code points and accepts 8', () => {
    assert.equal(passwordProblem('kq7#vx2'), 'too_short');
    assert.equal(passwordProblem('kq7#vx2m'), null);
    assert.equal(passwordProblem('편집국마감시간'), 'too_short');
    assert.equal(passwordProblem('편집국마감시간표'), null);
  });

  it('counts 7 emoji as 7, not as their 14 UTF-16 units', () => {
    assert.equal(passwordProblem(EMOJI_64.slice(0, 14)), 'too_short');
    assert.equal(passwordProblem(EMOJI_64.slice(0, 16)), null);
  });

  it('counts Hangul typed as conjoining jamo by its syllables', () => {
    const sevenSyllables = '편집국마감시간'.normalize('NFD');
    assert.equal(Array.from(sevenSyllables).length, 19);
    assert.equal(passwordProblem(sevenSyllables), 'too_short');
  });

  it('accepts 256 code points and refuses 257', () => {
    assert.equal(PASSWORD_MAX_CODE_POINTS, 256);
    assert.equal(passwordProblem('가'.repeat(256)), null);
    assert.equal(passwordProblem('가'.repeat(257)), 'too_long');
    assert.equal(passwordProblem('x'.repeat(257)), 'too_long');
    assert.equal(passwordProblem('😀'.repeat(256)), null);
  });

  it('refuses password123 and other common passwords whatever their case', () => {
    for (const common of ['password123', 'password', 'qwerty123', 'iloveyou', 'PassWord123']) {
      assert.equal(passwordProblem(common), 'common', common);
    }
  });

  it('has no composition rules: a long lowercase phrase passes', () => {
    assert.equal(passwordProblem('correct horse battery staple'), null);
    assert.equal(passwordProblem('기사 마감은 오후 다섯 시'), null);
  });

  it('refuses the e-mail address, its local part and the name, whatever their case', () => {
    const context = { email: 'Minji.Kim@byline.example', name: 'Kim Minji-seo' };
    assert.equal(passwordProblem('minji.kim@byline.example', context), 'contains_identity');
    assert.equal(passwordProblem('MINJI.KIM', context), 'contains_identity');
    assert.equal(passwordProblem('kim minji-seo', context), 'contains_identity');
    assert.equal(passwordProblem('minji.kim.editor', context), null);
  });

  it('refuses a Korean name typed in another normalisation form', () => {
    const context = { name: '김민지 편집기자' };
    assert.equal(passwordProblem('김민지 편집기자'.normalize('NFD'), context), 'contains_identity');
  });
});

describe('password hashing', () => {
  it('round-trips a 64-character Hangul password and a 64-emoji password', async () => {
    for (const password of [HANGUL_64, EMOJI_64]) {
      const stored = await hashPassword(password);
      assert.equal(await verifyPassword(stored, password), true);
      assert.equal(await verifyPassword(stored, password.slice(0, -2)), false);
    }
  });

  it('writes argon2id v19 with the configured cost in PHC format', async () => {
    const stored = await hashPassword('기사 마감은 오후 다섯 시');
    const prefix = `$argon2id$v=19$m=${ARGON2_MEMORY_KIB},t=${ARGON2_PASSES},p=${ARGON2_PARALLELISM}$`;
    assert.ok(stored.startsWith(prefix), stored);
    const [salt, tag] = stored.slice(prefix.length).split('$');
    assert.equal(Buffer.from(salt ?? '', 'base64').length, 16);
    assert.equal(Buffer.from(tag ?? '', 'base64').length, ARGON2_HASH_BYTES);
  });

  it('salts every hash, so one password stored twice gives two strings', async () => {
    const password = '기사 마감은 오후 다섯 시';
    assert.notEqual(await hashPassword(password), await hashPassword(password));
  });

  it('does not truncate: passwords differing only at code point 200 do not match', async () => {
    const base = '가'.repeat(199);
    const stored = await hashPassword(base + '나' + 'x'.repeat(20));
    assert.equal(await verifyPassword(stored, base + '다' + 'x'.repeat(20)), false);
    assert.equal(await verifyPassword(stored, base + '나' + 'x'.repeat(20)), true);
  });

  it('keeps case: a password typed in another case does not match', async () => {
    const stored = await hashPassword('Correct Horse 배터리 Staple');
    assert.equal(await verifyPassword(stored, 'correct horse 배터리 staple'), false);
    assert.equal(await verifyPassword(stored, 'CORRECT HORSE 배터리 STAPLE'), false);
  });

  it('matches Hangul set as syllables and typed as conjoining jamo, both ways', async () => {
    const composed = '한국어 비밀번호입니다'.normalize('NFC');
    const decomposed = composed.normalize('NFD');
    assert.notEqual(composed, decomposed);
    assert.equal(await verifyPassword(await hashPassword(composed), decomposed), true);
    assert.equal(await verifyPassword(await hashPassword(decomposed), composed), true);
  });

  it('answers false, without throwing, for a malformed or unacceptable hash', async () => {
    const salt = 'S43JsNbO/unsYTlpe7RP+w';
    const tag = 'kNlR7Q8oMr3kbulF+3emczkXFpQPzKobHZ+ehp6vyRY';
    const refused = [
      '',
      'not a hash',
      '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy',
      `$argon2id$v=19$m=1,t=2,p=1$${salt}$${tag}`,
      `$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$${tag}`,
      `$argon2id$v=19$m=19456,t=2,p=1$${salt}$aGFzaA`,
      `$argon2i$v=19$m=19456,t=2,p=1$${salt}$${tag}`,
      `$argon2id$m=19456,t=2,p=1$${salt}$${tag}`,
      // Would make the native code allocate 4 TiB; refused before it is handed over.
      `$argon2id$v=19$m=4294967295,t=2,p=1$${salt}$${tag}`,
      `$argon2id$v=19$m=19456,t=4294967295,p=1$${salt}$${tag}`,
    ];
    for (const stored of refused) {
      assert.equal(await verifyPassword(stored, 'password123'), false, stored);
    }
  });

  it('asks for a rehash only when the parameters differ from today’s', async () => {
    const password = '기사 마감은 오후 다섯 시';
    assert.equal(needsRehash(await hashPassword(password)), false);
    const older = await hash(password, { memoryCost: 12_288, timeCost: 3, parallelism: 1 });
    assert.equal(await verifyPassword(older, password), true);
    assert.equal(needsRehash(older), true);
    const shortTag = await hash(password, {
      memoryCost: ARGON2_MEMORY_KIB,
      timeCost: ARGON2_PASSES,
      parallelism: ARGON2_PARALLELISM,
      outputLen: 16,
    });
    assert.equal(needsRehash(shortTag), true);
    assert.equal(needsRehash('not a hash'), true);
  });

  it('fails a dummy verification, whatever the password', async () => {
    assert.equal(await dummyVerify('password123'), false);
    assert.equal(await dummyVerify(HANGUL_64), false);
  });
});
