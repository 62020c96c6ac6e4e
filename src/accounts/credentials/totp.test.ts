import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  TOTP_SECRET_BYTES,
  newTotpSecret,
  totpCodeAt,
  totpKeyUri,
  totpSecretDisplayText,
  totpSecretText,
  verifyTotp,
} from './totp.js';

// RFC 6238 appendix B's SHA-1 secret: the ASCII bytes of '12345678901234567890'.
const RFC_SECRET = new TextEncoder().encode('12345678901234567890');
// Ten seconds into a step, so that ±30 s lands in the neighbouring steps.
const NOW = new Date('2026-03-02T09:00:10Z');
const STEP = Math.floor(NOW.getTime() / 30_000);

function secondsFrom(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000);
}

describe('TOTP', () => {
  it('gives the RFC 6238 SHA-1 test vectors, truncated to 6 digits', () => {
    // Appendix B lists 8-digit codes; a 6-digit code is the same number modulo 10^6.
    const vectors: [seconds: number, eightDigits: string][] = [
      [59, '94287082'],
      [1_111_111_109, '07081804'],
      [1_111_111_111, '14050471'],
      [1_234_567_890, '89005924'],
      [2_000_000_000, '69279037'],
      [20_000_000_000, '65353130'],
    ];
    for (const [seconds, eightDigits] of vectors) {
      assert.equal(totpCodeAt(RFC_SECRET, new Date(seconds * 1000)), eightDigits.slice(2));
    }
    assert.equal(totpCodeAt(RFC_SECRET, new Date(59_000)), '287082');
  });

  it('accepts the code of the current step and reports that step', () => {
    const code = totpCodeAt(RFC_SECRET, NOW);
    assert.deepEqual(verifyTotp(RFC_SECRET, code, NOW, null), { ok: true, step: STEP });
  });

  it('accepts a code from 30 seconds before or after, for clock drift', () => {
    const earlier = totpCodeAt(RFC_SECRET, secondsFrom(NOW, -30));
    const later = totpCodeAt(RFC_SECRET, secondsFrom(NOW, 30));
    assert.deepEqual(verifyTotp(RFC_SECRET, earlier, NOW, null), { ok: true, step: STEP - 1 });
    assert.deepEqual(verifyTotp(RFC_SECRET, later, NOW, null), { ok: true, step: STEP + 1 });
  });

  it('refuses a code from 60 or 90 seconds before or after', () => {
    for (const seconds of [-90, -60, 60, 90]) {
      const code = totpCodeAt(RFC_SECRET, secondsFrom(NOW, seconds));
      assert.deepEqual(verifyTotp(RFC_SECRET, code, NOW, null), { ok: false }, `${seconds} s`);
    }
  });

  it('refuses a code whose step has already been used', () => {
    const code = totpCodeAt(RFC_SECRET, NOW);
    const first = verifyTotp(RFC_SECRET, code, NOW, null);
    assert.ok(first.ok);
    assert.deepEqual(verifyTotp(RFC_SECRET, code, secondsFrom(NOW, 5), first.step), { ok: false });
    const older = totpCodeAt(RFC_SECRET, secondsFrom(NOW, -30));
    assert.deepEqual(verifyTotp(RFC_SECRET, older, NOW, first.step), { ok: false });
  });

  it('accepts the next step’s code after one has been used', () => {
    const later = secondsFrom(NOW, 30);
    const code = totpCodeAt(RFC_SECRET, later);
    assert.deepEqual(verifyTotp(RFC_SECRET, code, later, STEP), { ok: true, step: STEP + 1 });
  });

  it('accepts a code with spaces around or in the middle', () => {
    const at59 = new Date(59_000);
    for (const typed of [' 287082 ', '287 082', '287082']) {
      assert.deepEqual(verifyTotp(RFC_SECRET, typed, at59, null), { ok: true, step: 1 }, typed);
    }
  });

  it('refuses anything that is not exactly six ASCII digits', () => {
    const at59 = new Date(59_000);
    const refused = [
      '',
      '28708',
      '2870820',
      '28708a',
      '287-082',
      '287082\n',
      '２８７０８２',
      '٢٨٧٠٨٢',
      '+287082',
      '0x4616a',
    ];
    for (const typed of refused) {
      assert.deepEqual(verifyTotp(RFC_SECRET, typed, at59, null), { ok: false }, typed);
    }
  });

  it('makes 20-byte secrets that differ each time', () => {
    const one = newTotpSecret();
    assert.equal(one.length, TOTP_SECRET_BYTES);
    assert.equal(TOTP_SECRET_BYTES, 20);
    assert.notDeepEqual(one, newTotpSecret());
  });

  it('writes the secret as unpadded base32, and in groups of four for display', () => {
    assert.equal(totpSecretText(RFC_SECRET), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.equal(totpSecretText(newTotpSecret()).length, 32);
    assert.equal(totpSecretDisplayText(RFC_SECRET), 'GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
    assert.ok(!totpSecretText(new Uint8Array(10)).includes('='));
  });

  it('builds an otpauth URI with percent-encoded issuer and account, never "+"', () => {
    const uri = totpKeyUri({
      issuer: '바이라인 일보',
      accountName: 'minji.kim+desk@byline.example',
      secret: RFC_SECRET,
    });
    assert.ok(uri.startsWith('otpauth://totp/'), uri);
    assert.ok(!uri.includes('+'), uri);
    const parsed = new URL(uri);
    assert.equal(
      decodeURIComponent(parsed.pathname),
      '/바이라인 일보:minji.kim+desk@byline.example',
    );
    assert.equal(parsed.searchParams.get('secret'), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.equal(parsed.searchParams.get('issuer'), '바이라인 일보');
    assert.equal(parsed.searchParams.get('algorithm'), 'SHA1');
    assert.equal(parsed.searchParams.get('digits'), '6');
    assert.equal(parsed.searchParams.get('period'), '30');
  });
});
