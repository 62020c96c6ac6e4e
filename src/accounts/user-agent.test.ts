import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { messages } from '../features.js';
import { nameUserAgent, userAgentLabel } from './user-agent.js';

/** Real User-Agent headers, as the browsers of the account page's readers send them. */
const CASES: readonly (readonly [string, string, string, string])[] = [
  [
    'Chrome on an Android phone',
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
    'Chrome on Android',
    '안드로이드의 크롬',
  ],
  [
    'Safari on an iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    'Safari on iPhone',
    '아이폰의 사파리',
  ],
  [
    'Chrome on an iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1',
    'Chrome on iPhone',
    '아이폰의 크롬',
  ],
  [
    'Samsung Internet on a Galaxy',
    'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
    'Samsung Internet on Android',
    '안드로이드의 삼성 인터넷',
  ],
  [
    'Naver Whale on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Whale/4.29.282.14 Safari/537.36',
    'Whale on Windows',
    '윈도우의 웨일',
  ],
  [
    'KakaoTalk’s in-app browser on Android',
    'Mozilla/5.0 (Linux; Android 13; SM-G991N Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36;KAKAOTALK 2610420',
    'KakaoTalk’s browser on Android',
    '안드로이드의 카카오톡 브라우저',
  ],
  [
    'KakaoTalk’s in-app browser on an iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 KAKAOTALK 10.4.5',
    'KakaoTalk’s browser on iPhone',
    '아이폰의 카카오톡 브라우저',
  ],
  [
    'the Naver app’s browser on Android',
    'Mozilla/5.0 (Linux; Android 12; SM-N976N Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/110.0.5481.153 Mobile Safari/537.36 NAVER(inapp; search; 1000; 11.20.4)',
    'Naver app on Android',
    '안드로이드의 네이버 앱',
  ],
  [
    'Firefox on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
    'Firefox on Windows',
    '윈도우의 파이어폭스',
  ],
  [
    'Firefox on Linux',
    'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    'Firefox on Linux',
    '리눅스의 파이어폭스',
  ],
  [
    'Edge on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
    'Edge on Windows',
    '윈도우의 엣지',
  ],
  [
    'Safari on a Mac',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    'Safari on a Mac',
    '맥의 사파리',
  ],
  [
    'Safari on an iPad',
    'Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1',
    'Safari on iPad',
    '아이패드의 사파리',
  ],
  [
    'Chrome on a Chromebook',
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'Chrome on a Chromebook',
    '크롬북의 크롬',
  ],
  ['curl', 'curl/8.5.0', 'Unknown browser', '알 수 없는 브라우저'],
  ['an empty header', '', 'Unknown browser', '알 수 없는 브라우저'],
  [
    'an unknown browser on a known system',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) SomethingNew/1.0',
    'A browser on Windows',
    '윈도우의 브라우저',
  ],
];

describe('naming a session’s browser from its User-Agent', () => {
  for (const [name, userAgent, english, korean] of CASES)
    it(`names ${name} in both editions`, () => {
      assert.equal(userAgentLabel(messages('en'), userAgent), english);
      assert.equal(userAgentLabel(messages('ko'), userAgent), korean);
    });

  it('reads a megabyte of header text without naming anything from beyond its start', () => {
    const padded = `${'x'.repeat(1_000_000)} Chrome/131.0 (Linux; Android 10)`;
    assert.deepEqual(nameUserAgent(padded), { browser: null, system: null });
  });

  it('never shows Korean in the English names, nor Latin letters in the Korean ones', () => {
    const en = messages('en');
    const ko = messages('ko');
    for (const names of [en.accountSessionBrowser, en.accountSessionSystem])
      for (const value of Object.values(names)) assert.doesNotMatch(value, /\p{Script=Hangul}/u);
    for (const names of [ko.accountSessionBrowser, ko.accountSessionSystem])
      for (const value of Object.values(names)) assert.doesNotMatch(value, /[A-Za-z]/);
  });
});
