import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('runs on the embedded database in ./data by default, in Seoul time', () => {
    const config = loadConfig({}, '/srv/byline');
    assert.deepEqual(config.database, { kind: 'pglite', dataDir: '/srv/byline/data' });
    assert.equal(config.timeZone, 'Asia/Seoul');
    assert.equal(config.commentMaxLength, 250);
    assert.equal(config.commentCounterUnit, '자');
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
