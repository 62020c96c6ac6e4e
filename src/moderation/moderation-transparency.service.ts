import type { AppDeps } from '../deps.js';
import {
  countHiddenByClause,
  countLogByMonth,
  type ClauseCountRow,
  type MonthCountsRow,
} from './moderation-transparency.queries.js';

/**
 * The public transparency report: what the standards board did, month by month, counted from
 * the decisions log alone. Nothing here reads comments or accounts, so the figures match the
 * log whatever has since happened to what it speaks of.
 */

/**
 * The clock fixes "the last N months"; the config, the time zone months are counted in (the
 * newsroom's, as every date readers see).
 */
type Deps = Pick<AppDeps, 'db' | 'config' | 'clock'>;

/** How many months the page shows when not told otherwise: a year. */
export const TRANSPARENCY_MONTHS = 12;

export type HiddenByClause = Readonly<{
  policyVersion: number | null;
  clause: number;
  count: number;
  title: Readonly<{ en: string; ko: string }> | null;
}>;

export type TransparencyFigures = Omit<MonthCountsRow, 'month'>;

export type TransparencyMonth = Readonly<{
  year: number;
  /** 1 to 12. */
  month: number;
  figures: TransparencyFigures;
  /** Ordered by policy version, then clause number. */
  hiddenByClause: readonly HiddenByClause[];
}>;

export type TransparencyReport = Readonly<{
  timeZone: string;
  /** Newest first; only months with entries in the log. */
  months: readonly TransparencyMonth[];
}>;

export async function transparencyReport(
  deps: Deps,
  input: Readonly<{ months: number }>,
): Promise<TransparencyReport> {
  const window = {
    now: deps.clock(),
    timeZone: deps.config.timeZone,
    months: Math.max(1, Math.floor(input.months)),
  };
  const [counts, clauses] = await Promise.all([
    countLogByMonth(deps.db, window),
    countHiddenByClause(deps.db, window),
  ]);
  const byMonth = new Map<string, HiddenByClause[]>();
  for (const row of clauses) {
    const list = byMonth.get(row.month) ?? [];
    list.push(hiddenOf(row));
    byMonth.set(row.month, list);
  }
  return {
    timeZone: window.timeZone,
    months: counts.map(({ month, ...figures }) => {
      const [year, number] = month.split('-').map(Number);
      return {
        year: year ?? 0,
        month: number ?? 0,
        figures,
        hiddenByClause: byMonth.get(month) ?? [],
      };
    }),
  };
}

function hiddenOf(row: ClauseCountRow): HiddenByClause {
  return {
    policyVersion: row.policyVersion,
    clause: row.clause,
    count: row.count,
    title:
      row.titleEn !== null && row.titleKo !== null ? { en: row.titleEn, ko: row.titleKo } : null,
  };
}
