import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zonedInstant, zonedParts } from './zoned-time.js';

describe('zoned time', () => {
  it('reads a wall-clock time in Seoul and shows it back', () => {
    const instant = zonedInstant('2023-01-29', '17:25', 'Asia/Seoul');
    assert.equal(instant?.toISOString(), '2023-01-29T08:25:00.000Z');
    assert.deepEqual(zonedParts(new Date('2023-01-29T08:25:00Z'), 'Asia/Seoul'), {
      date: '2023-01-29',
      time: '17:25',
    });
  });

  it('follows summer time where the zone has it', () => {
    assert.equal(
      zonedInstant('2026-07-01', '12:00', 'America/New_York')?.toISOString(),
      '2026-07-01T16:00:00.000Z',
    );
    assert.equal(
      zonedInstant('2026-01-01', '12:00', 'America/New_York')?.toISOString(),
      '2026-01-01T17:00:00.000Z',
    );
  });

  it('refuses what names no day or no minute', () => {
    for (const [date, time] of [
      ['2026-02-30', '10:00'],
      ['2026-1-1', '10:00'],
      ['2026-01-01', '24:00'],
      ['2026-01-01', '9:00'],
      ['', ''],
    ] as const) {
      assert.equal(zonedInstant(date, time, 'Asia/Seoul'), null, `${date} ${time}`);
    }
  });
});
