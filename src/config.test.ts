import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('runs on the embedded database in ./data by default, in Seoul time', () => {
    const config = loadConfig({}, '/srv/byline');
    assert.deepEqual(config.database, { kind: 'pglite', dataDir: '/srv/byline/data' });
    assert.equal(config.timeZone, 'Asia/Seoul');
    assert.equal(config.commentMaxLength, 250);
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.ok(Object.isFrozen(config));
  });

  it('switches to a PostgreSQL server when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://byline@db.internal:5432/byline' });
    assert.deepEqual(config.database, {
      kind: 'postgres',
      url: 'postgres://byline@db.internal:5432/byline',
    });
  });

  it('reads the data folder, time zone and public URL it is given', () => {
    const config = loadConfig(
      {
        BYLINE_DATA_DIR: 'var/db',
        BYLINE_TIME_ZONE: 'Europe/London',
        BYLINE_PUBLIC_URL: 'https://news.example/',
      },
      '/app',
    );
    assert.deepEqual(config.database, { kind: 'pglite', dataDir: '/app/var/db' });
    assert.equal(config.timeZone, 'Europe/London');
    assert.equal(config.publicUrl, 'https://news.example');
  });

  it('waits 10 seconds for requests in progress when stopping, unless told otherwise', () => {
    assert.equal(loadConfig({}).shutdownGraceSeconds, 10);
    assert.equal(loadConfig({ BYLINE_SHUTDOWN_GRACE_SECONDS: '30' }).shutdownGraceSeconds, 30);
    assert.throws(
      () => loadConfig({ BYLINE_SHUTDOWN_GRACE_SECONDS: '-1' }),
      (error) =>
        error instanceof ConfigError && /BYLINE_SHUTDOWN_GRACE_SECONDS/.test(error.message),
    );
  });

  it('refuses a plain-http public address in production, except on this machine', () => {
    assert.throws(
      () => loadConfig({ NODE_ENV: 'production', BYLINE_PUBLIC_URL: 'http://news.example' }),
      (error) => error instanceof ConfigError && /BYLINE_PUBLIC_URL/.test(error.message),
    );
    assert.equal(
      loadConfig({ NODE_ENV: 'production', BYLINE_PUBLIC_URL: 'https://news.example' }).publicUrl,
      'https://news.example',
    );
    assert.equal(
      loadConfig({ NODE_ENV: 'production', BYLINE_PUBLIC_URL: 'http://127.0.0.1:3000' }).publicUrl,
      'http://127.0.0.1:3000',
    );
  });

  it('turns a login provider on only when all its variables are set', () => {
    const config = loadConfig({
      BYLINE_NAVER_CLIENT_ID: 'naver-id',
      BYLINE_NAVER_CLIENT_SECRET: 'naver-secret',
      BYLINE_OIDC_ISSUER: 'https://id.example',
      BYLINE_OIDC_CLIENT_ID: 'byline',
      BYLINE_OIDC_CLIENT_SECRET: 'secret',
    });
    assert.deepEqual(Object.keys(config.providers).sort(), ['naver', 'oidc']);
    assert.equal(config.providers.oidc?.label, 'id.example');
    assert.throws(
      () => loadConfig({ BYLINE_KAKAO_CLIENT_ID: 'kakao-id' }),
      (error) => error instanceof ConfigError && /BYLINE_KAKAO_CLIENT_SECRET/.test(error.message),
    );
  });

  it('stops at start-up naming each wrong variable', () => {
    assert.throws(
      () =>
        loadConfig({
          BYLINE_TIME_ZONE: 'Mars/Olympus',
          BYLINE_PORT: 'eighty',
          DATABASE_URL: 'mysql://x',
        }),
      (error) =>
        error instanceof ConfigError &&
        /BYLINE_TIME_ZONE/.test(error.message) &&
        /BYLINE_PORT/.test(error.message) &&
        /DATABASE_URL/.test(error.message),
    );
  });

  it('reads switches written as true/false, 1/0 or on/off', () => {
    assert.equal(loadConfig({ BYLINE_PAGE_CACHE: 'off' }).pageCache, false);
    assert.equal(loadConfig({ BYLINE_PAGE_CACHE: '1' }).pageCache, true);
    assert.throws(() => loadConfig({ BYLINE_PAGE_CACHE: 'maybe' }), ConfigError);
  });
});
