import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { renderToString } from 'preact-render-to-string';
import { encode } from 'uqr';
import type { DatabaseHandle } from '../db/db.js';
import { testBackends } from '../db/db-test.js';
import { TestBrowser, testApp, type TestApp } from './accounts.testing.js';
import { QR_QUIET_ZONE, QrCode } from './staff-qr.js';
import { addStaffAccount, issueSetupLink } from './staff.service.js';

/**
 * The authenticator key's QR code on the set-up page: the modules drawn are those of the key's
 * URI, inside a quiet zone of four light modules, as SVG elements with no script or style.
 */

type Drawn = { side: number; dark: boolean[][] };

/** Reads an SVG drawn by QrCode back into modules: the viewBox's side, and each dark run. */
function readSvg(svg: string): Drawn {
  const side = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  assert.ok(side > 0, 'a square viewBox');
  const d = /<path d="([^"]*)"/.exec(svg)?.[1];
  assert.ok(d, 'one path of dark modules');
  const dark = Array.from({ length: side }, () => Array.from({ length: side }, () => false));
  const runs = d.split('z').filter(Boolean);
  for (const run of runs) {
    const m = /^M(\d+) (\d+)h(\d+)v1h-(\d+)$/.exec(run);
    assert.ok(m, `a run of one row: ${run}`);
    const [x, y, width, back] = m.slice(1).map(Number) as [number, number, number, number];
    assert.equal(back, width, 'each run closes on itself');
    for (let i = x; i < x + width; i += 1) {
      const row = dark[y];
      assert.ok(row && i < side, 'inside the viewBox');
      row[i] = true;
    }
  }
  return { side, dark };
}

/** The modules uqr itself would draw with a four-module border, as the reference. */
function reference(text: string): boolean[][] {
  return encode(text, { ecc: 'M', border: QR_QUIET_ZONE }).data;
}

function svgOf(body: string): string {
  const svg = /<svg[\s\S]*?<\/svg>/.exec(body)?.[0];
  assert.ok(svg, 'the page has an SVG');
  return svg;
}

describe('the QR code drawn as SVG', () => {
  const uri =
    'otpauth://totp/Byline%20%EC%8B%A0%EB%AC%B8:kim%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Byline&algorithm=SHA1&digits=6&period=30';

  it('draws exactly the modules of the text, inside a quiet zone of four', () => {
    const { side, dark } = readSvg(renderToString(<QrCode text={uri} label="QR" />));
    const expected = reference(uri);
    assert.equal(side, expected.length);
    assert.deepEqual(dark, expected);
    for (let i = 0; i < side; i += 1)
      for (let q = 0; q < QR_QUIET_ZONE; q += 1)
        for (const [x, y] of [
          [i, q],
          [i, side - 1 - q],
          [q, i],
          [side - 1 - q, i],
        ] as const)
          assert.equal(dark[y]?.[x], false, `module ${x},${y} of the quiet zone is light`);
  });

  it('tells two texts apart, so the comparison above can fail', () => {
    const other = uri.replace('JBSWY3DP', 'KRSXG5CT');
    const { dark } = readSvg(renderToString(<QrCode text={other} label="QR" />));
    assert.notDeepEqual(dark, reference(uri));
  });

  it('is an image with its label, black on white, with no style, script or link', () => {
    const svg = renderToString(<QrCode text={uri} label={'인증 앱용 "QR" <코드>'} />);
    assert.match(svg, /^<svg [^>]*role="img"/);
    assert.match(svg, /aria-label="인증 앱용 &quot;QR&quot; &lt;코드>"/);
    assert.match(svg, /<title>인증 앱용 &quot;QR&quot; &lt;코드><\/title>/);
    assert.match(svg, /<rect width="(\d+)" height="\1" fill="#ffffff"><\/rect>/);
    assert.match(svg, /<path d="[^"]+" fill="#000000"><\/path>/);
    assert.doesNotMatch(svg, /style|script|href|data:|\son\w+=/i);
  });
});

for (const backend of testBackends()) {
  describe(`the set-up page's QR code on ${backend.name}`, () => {
    let handle: DatabaseHandle;
    let t: TestApp;

    before(async () => {
      handle = await backend.open();
      t = await testApp(handle);
    });
    after(async () => {
      await t.app.close();
      await handle.close();
    });

    it('shows beside the key text a QR code of the key URI that text is part of', async () => {
      const { accountId } = await addStaffAccount(t.deps, {
        email: 'qr.reporter@example.com',
        role: 'reporter',
        displayName: '큐알 기자',
      });
      const link = new URL(await issueSetupLink(t.deps, accountId, 'http://localhost:3000', 'ko'));
      assert.match(link.pathname, /^\/ko\/staff\/setup\//);
      const page = await new TestBrowser(t.app).get(link.pathname);
      assert.equal(page.statusCode, 200);
      const keyText = /class="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1];
      const href = /<a href="(otpauth:\/\/[^"]+)"/.exec(page.body)?.[1];
      assert.ok(keyText && href, 'the key as text and as a link');
      const keyUri = href.replaceAll('&amp;', '&');
      assert.equal(
        new URL(keyUri).searchParams.get('secret'),
        keyText.replaceAll(' ', ''),
        'the URI holds the key the text shows',
      );
      const svg = svgOf(page.body);
      assert.match(svg, /aria-label="인증 앱용 QR 코드"/);
      assert.deepEqual(readSvg(svg).dark, reference(keyUri));
      // The page's CSP allows no inline style: nothing in the code needs one.
      assert.doesNotMatch(svg, /style=/);
      assert.doesNotMatch(page.headers['content-security-policy']?.toString() ?? '', /unsafe/);
    });
  });
}
