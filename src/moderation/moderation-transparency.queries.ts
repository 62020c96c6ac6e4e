import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/db-schema.js';

/**
 * The transparency report's counts, read straight from the audit log (`moderation_log`), month
 * by month in the newsroom's time zone. Two statements whatever the number of months: one for
 * the figures, one for hidden comments by clause. The page is public, so no query per month.
 *
 * Written to the PostgreSQL 15 subset (the server) that PGlite (18) also runs.
 */

type Db = Kysely<Database> | Transaction<Database>;

/** `months` calendar months in `timeZone`, the one holding `now` the newest. */
export type ReportWindow = Readonly<{ now: Date; timeZone: string; months: number }>;

/** A month as `YYYY-MM`, in the newsroom's time zone. */
export type MonthKey = string;

export type MonthCountsRow = Readonly<{
  month: MonthKey;
  published: number;
  held: number;
  hidden: number;
  restored: number;
  deleted: number;
  reported: number;
  appealsFiled: number;
  appealsUpheld: number;
  appealsGranted: number;
  warnings: number;
  suspensions: number;
  bans: number;
}>;

export type ClauseCountRow = Readonly<{
  month: MonthKey;
  policyVersion: number | null;
  clause: number;
  count: number;
  /** Null when the log cites a clause its version never had (it should not happen). */
  titleEn: string | null;
  titleKo: string | null;
}>;

/**
 * The log's rows inside the window, each with its month. Both bounds are computed by the
 * database in the given zone, so a month starts at local midnight on the first, daylight saving
 * or not. The casts are needed: `at time zone` has overloads a bare parameter cannot choose.
 */
function windowedLog(window: ReportWindow): RawBuilder<unknown> {
  const tz = sql`${window.timeZone}::text`;
  const thisMonth = sql`date_trunc('month', ${window.now}::timestamptz at time zone ${tz})`;
  return sql`(
    select l.*, to_char(date_trunc('month', l.at at time zone ${tz}), 'YYYY-MM') as month
    from moderation_log l
    where l.at >= (${thisMonth} - make_interval(months => ${window.months - 1}::int)) at time zone ${tz}
      and l.at < (${thisMonth} + interval '1 month') at time zone ${tz}
  )`;
}

/** Counts come back from PostgreSQL as bigint strings; a month's counts fit a number. */
const count = (condition: RawBuilder<unknown>) => sql<string>`count(*) filter (where ${condition})`;

/** One row per month that has entries, newest first. */
export async function countLogByMonth(db: Db, window: ReportWindow): Promise<MonthCountsRow[]> {
  const is = (action: string) => sql`action = ${sql.lit(action)}`;
  const result = await sql<Record<keyof MonthCountsRow, string>>`
    select month,
      ${count(
        // Approving a held comment publishes it; approving a published one only settles its reports.
        sql`${is('comment_published')} or (${is('comment_approved')} and from_state = 'pending')`,
      )} as "published",
      ${count(is('comment_held'))} as "held",
      ${count(is('comment_rejected'))} as "hidden",
      ${count(
        // A granted appeal restores only a comment still hidden (its author may have deleted it).
        sql`${is('comment_restored')} or (${is('appeal_granted')} and to_state = 'published')`,
      )} as "restored",
      ${count(is('comment_deleted'))} as "deleted",
      ${count(is('comment_reported'))} as "reported",
      ${count(is('appeal_filed'))} as "appealsFiled",
      ${count(is('appeal_upheld'))} as "appealsUpheld",
      ${count(is('appeal_granted'))} as "appealsGranted",
      ${count(is('reader_warned'))} as "warnings",
      ${count(is('reader_suspended'))} as "suspensions",
      ${count(is('reader_banned'))} as "bans"
    from ${windowedLog(window)} w
    group by month
    order by month desc
  `.execute(db);
  return result.rows.map((row) => ({
    month: row.month,
    published: Number(row.published),
    held: Number(row.held),
    hidden: Number(row.hidden),
    restored: Number(row.restored),
    deleted: Number(row.deleted),
    reported: Number(row.reported),
    appealsFiled: Number(row.appealsFiled),
    appealsUpheld: Number(row.appealsUpheld),
    appealsGranted: Number(row.appealsGranted),
    warnings: Number(row.warnings),
    suspensions: Number(row.suspensions),
    bans: Number(row.bans),
  }));
}

/**
 * Hidden comments per (month, policy version, clause), with the clause's titles. An entry that
 * cites two clauses counts under each; counting distinct entries keeps a clause listed twice in
 * one entry from counting twice.
 */
export async function countHiddenByClause(db: Db, window: ReportWindow): Promise<ClauseCountRow[]> {
  const result = await sql<{
    month: string;
    policy_version: number | null;
    clause: number;
    n: string;
    title_en: string | null;
    title_ko: string | null;
  }>`
    select w.month, w.policy_version, c.clause::int as clause, count(distinct w.id) as n,
      pc.title_en, pc.title_ko
    from ${windowedLog(window)} w
    cross join lateral jsonb_array_elements_text(w.clauses) as c(clause)
    left join policy_clauses pc
      on pc.version = w.policy_version and pc.number = c.clause::int
    where w.action = 'comment_rejected'
    group by w.month, w.policy_version, c.clause::int, pc.title_en, pc.title_ko
    order by w.month desc, w.policy_version, clause
  `.execute(db);
  return result.rows.map((row) => ({
    month: row.month,
    policyVersion: row.policy_version,
    clause: row.clause,
    count: Number(row.n),
    titleEn: row.title_en,
    titleKo: row.title_ko,
  }));
}
