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

  it('runs the scheduler in every process unless BYLINE_SCHEDULER turns it off', () => {
    assert.equal(loadConfig({}).scheduler, true);
    assert.equal(loadConfig({ BYLINE_SCHEDULER: 'off' }).scheduler, false);
    assert.throws(
      () => loadConfig({ BYLINE_SCHEDULER: 'sometimes' }),
      (error) => error instanceof ConfigError && /BYLINE_SCHEDULER/.test(error.message),
    );
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

  it('listens where a platform says with PORT and HOST, unless BYLINE_PORT and BYLINE_HOST say otherwise', () => {
    const platform = loadConfig({ PORT: '8080' });
    assert.equal(platform.port, 8080);
    // A platform routes to PORT from outside the container: loopback alone would be unreachable.
    assert.equal(platform.host, '0.0.0.0');
    assert.equal(platform.publicUrl, 'http://localhost:8080');
    assert.equal(loadConfig({ PORT: '8080', HOST: '::' }).host, '::');
    const both = loadConfig({
      PORT: '8080',
      HOST: '10.0.0.5',
      BYLINE_PORT: '3001',
      BYLINE_HOST: '127.0.0.2',
    });
    assert.equal(both.port, 3001);
    assert.equal(both.host, '127.0.0.2');
    assert.equal(loadConfig({ PORT: '8080', BYLINE_PORT: '3001' }).host, '127.0.0.1');
    assert.equal(loadConfig({}).host, '127.0.0.1');
    assert.equal(loadConfig({}).port, 3000);
    assert.throws(
      () => loadConfig({ PORT: '70000' }),
      (error) => error instanceof ConfigError && /PORT/.test(error.message),
    );
  });

  it('refuses a trusted proxy that is not an address or a range, naming BYLINE_TRUSTED_PROXY', () => {
    for (const value of [
      'proxy.internal',
      '10.0.0.1/33',
      '10.0.0.1/8/8',
      'fe80::1/129',
      '10.0.0.1/x',
    ]) {
      assert.throws(
        () => loadConfig({ BYLINE_TRUSTED_PROXY: value }),
        (error) => error instanceof ConfigError && /BYLINE_TRUSTED_PROXY/.test(error.message),
        value,
      );
    }
    assert.deepEqual(
      loadConfig({ BYLINE_TRUSTED_PROXY: '10.0.0.1, 192.168.0.0/16,::1,fd00::/8,loopback' })
        .trustedProxies,
      ['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8', 'loopback'],
    );
    assert.deepEqual(loadConfig({}).trustedProxies, []);
  });

  it('warns about BYLINE_ variables that no setting reads, suggesting the one meant', () => {
    const config = loadConfig({ BYLINE_PROT: '8080', BYLINE_COLOUR: 'blue', BYLINE_PORT: '3001' });
    assert.equal(config.warnings.length, 2);
    assert.match(config.warnings[0] ?? '', /^BYLINE_COLOUR is not a Byline setting/);
    assert.match(config.warnings[1] ?? '', /^BYLINE_PROT .*did you mean BYLINE_PORT\?/);
    assert.match(
      loadConfig({ BYLINE_SHUTDOWN_GRACE: '5' }).warnings[0] ?? '',
      /did you mean BYLINE_SHUTDOWN_GRACE_SECONDS\?/,
    );
    assert.deepEqual(loadConfig({ BYLINE_PORT: '3001', PATH: '/bin', PORT: '1' }).warnings, []);
  });

  it('starts production without the demo articles, unless asked for them', () => {
    assert.equal(loadConfig({}).demoContent, true);
    assert.equal(loadConfig({ NODE_ENV: 'production' }).demoContent, false);
    assert.equal(
      loadConfig({ NODE_ENV: 'production', BYLINE_DEMO_CONTENT: 'true' }).demoContent,
      true,
    );
    assert.equal(loadConfig({ BYLINE_DEMO_CONTENT: 'false' }).demoContent, false);
  });

  it('reads switches written as true/false, 1/0 or on/off', () => {
    assert.equal(loadConfig({ BYLINE_PAGE_CACHE: 'off' }).pageCache, false);
    assert.equal(loadConfig({ BYLINE_PAGE_CACHE: '1' }).pageCache, true);
    assert.throws(() => loadConfig({ BYLINE_PAGE_CACHE: 'maybe' }), ConfigError);
  });
});
