import type { Language } from '../lib/language.js';

/**
 * Newsroom dates, always in the newsroom's time zone, never the server's or the reader's.
 * English follows the house style `29 Jan. 2023, 17:25` (two-digit day, abbreviated month with a
 * full stop, 24-hour time); Korean follows Korean dailies, `2023.01.29 17:25`.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

type Parts = { year: string; month: string; day: string; hour: string; minute: string };

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsIn(date: Date, timeZone: string): Parts {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = formatter.formatToParts(date);
  const get = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

export function formatNewsroomDateTime(date: Date, timeZone: string, language: Language): string {
  const p = partsIn(date, timeZone);
  if (language === 'ko') return `${p.year}.${p.month}.${p.day} ${p.hour}:${p.minute}`;
  return `${p.day} ${MONTHS[Number(p.month) - 1] ?? p.month}. ${p.year}, ${p.hour}:${p.minute}`;
}

export function formatNewsroomDate(date: Date, timeZone: string, language: Language): string {
  const p = partsIn(date, timeZone);
  if (language === 'ko') return `${p.year}.${p.month}.${p.day}`;
  return `${p.day} ${MONTHS[Number(p.month) - 1] ?? p.month}. ${p.year}`;
}
