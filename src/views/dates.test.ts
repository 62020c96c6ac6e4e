import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatNewsroomDate, formatNewsroomDateTime } from './dates.js';

describe('newsroom dates', () => {
  const published = new Date('2023-01-29T17:25:00+09:00');

  it('writes the house style in the newsroom time zone', () => {
    assert.equal(formatNewsroomDateTime(published, 'Asia/Seoul', 'en'), '29 Jan. 2023, 17:25');
  });

  it('follows the configured time zone, not the server one', () => {
    assert.equal(formatNewsroomDateTime(published, 'Europe/London', 'en'), '29 Jan. 2023, 08:25');
    assert.equal(
      formatNewsroomDateTime(published, 'America/New_York', 'en'),
      '29 Jan. 2023, 03:25',
    );
  });

  it('crosses midnight into the newsroom day', () => {
    const lateUtc = new Date('2023-03-04T23:30:00Z');
    assert.equal(formatNewsroomDateTime(lateUtc, 'Asia/Seoul', 'en'), '05 Mar. 2023, 08:30');
  });

  it('uses a 24-hour clock at midnight and noon', () => {
    assert.equal(
      formatNewsroomDateTime(new Date('2023-05-01T00:05:00+09:00'), 'Asia/Seoul', 'en'),
      '01 May. 2023, 00:05',
    );
    assert.equal(
      formatNewsroomDateTime(new Date('2023-12-31T12:00:00+09:00'), 'Asia/Seoul', 'en'),
      '31 Dec. 2023, 12:00',
    );
  });

  it('writes Korean dates the way Korean dailies do', () => {
    assert.equal(formatNewsroomDateTime(published, 'Asia/Seoul', 'ko'), '2023.01.29 17:25');
    assert.equal(formatNewsroomDate(published, 'Asia/Seoul', 'ko'), '2023.01.29');
    assert.equal(formatNewsroomDate(published, 'Asia/Seoul', 'en'), '29 Jan. 2023');
  });
});
