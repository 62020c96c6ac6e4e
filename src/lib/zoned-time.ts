/**
 * Wall-clock times in the newsroom's time zone, as forms give and show them ("2026-12-08",
 * "17:25"), and the instants they name. The zone's offset is read from Intl, so summer time
 * and historical offsets come from the platform's own tables.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(
    formatter.formatToParts(new Date(instant)).map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time (as milliseconds of a UTC date with the same fields) names in a
 * zone. Two guesses, the offset read at the wall time taken as UTC and again at the first guess,
 * cover a change of offset near it. A guess is right when the zone's clock reads the wall time
 * at it: when both are (the clocks went back over it, so it came twice), the earlier; when
 * neither is (it was skipped), the moment the clocks jumped, the later guess.
 */
function instantOfWall(wall: number, timeZone: string): Date {
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  const right = [first, second].filter((at) => at + offsetAt(at, timeZone) === wall);
  return new Date(right.length > 0 ? Math.min(...right) : Math.max(first, second));
}

/** The instant a date and a time name in a zone, or null when either is malformed or names no day (2026-02-30). */
export function zonedInstant(date: string, time: string, timeZone: string): Date | null {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d || !t) return null;
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const wall = Date.UTC(year, month - 1, day, Number(t[1]), Number(t[2]));
  const check = new Date(wall);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  )
    return null;
  return instantOfWall(wall, timeZone);
}

/** The date and time (to the minute) an instant shows in a zone, as form fields take them. */
export function zonedParts(instant: Date, timeZone: string): { date: string; time: string } {
  const iso = new Date(instant.getTime() + offsetAt(instant.getTime(), timeZone)).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** The instant a calendar day (`2026-12-07`, already checked) begins in `timeZone`. */
export function startOfDay(day: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return instantOfWall(Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1), timeZone);
}

/** The day after a calendar day, as `YYYY-MM-DD` (a "to" date includes its whole day). */
export function nextDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (date ?? 1) + 1))
    .toISOString()
    .slice(0, 10);
}
