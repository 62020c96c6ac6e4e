import type { AppDeps } from '../deps.js';
import { AppError } from '../http/app-error.js';
import { EVERYTHING } from '../lib/content-change.js';
import {
  clauseNumberProblem,
  describePolicyProblem,
  normalisePolicyDraft,
  policyDraftProblem,
  type Bilingual,
  type PolicyClause,
  type PolicyVersion,
  type PolicyVersionSummary,
} from './policy.js';
import * as q from './policy.queries.js';

/**
 * The policy feature's public surface: the version in force, its history, readers' acceptance
 * and an admin's publishing of a new version. Nothing is cached here: every answer is read from
 * the database, so every app process sees a new version as soon as it commits.
 */

export type { PolicyClause, PolicyVersion, PolicyVersionSummary } from './policy.js';

type Deps = Pick<AppDeps, 'db' | 'clock'>;
/** Publishing also tells the page caches, which keep /policy, that it changed. */
type PublishDeps = Pick<AppDeps, 'db' | 'clock' | 'contentChanged'>;

type VersionRow = NonNullable<Awaited<ReturnType<typeof q.findVersion>>>;
type ClauseRow = Awaited<ReturnType<typeof q.listClauses>>[number];

function clauseOf(row: ClauseRow): PolicyClause {
  return {
    number: row.number,
    title: { en: row.title_en, ko: row.title_ko },
    text: { en: row.text_en, ko: row.text_ko },
    reportable: row.reportable,
  };
}

async function versionOf(db: q.Db, row: VersionRow): Promise<PolicyVersion> {
  const clauses = await q.listClauses(db, row.version);
  return {
    version: row.version,
    effectiveAt: row.effective_at,
    intro: { en: row.intro_en, ko: row.intro_ko },
    note: { en: row.note_en, ko: row.note_ko },
    clauses: clauses.map(clauseOf),
  };
}

/**
 * The row of the version in force: the newest one whose effective date has come. Before the
 * first version comes into force (a clock set early, a site opened before its launch date) it is
 * the first version, as announced, so that readers can read and accept it ahead.
 */
async function versionRowInForce(db: q.Db, now: Date): Promise<VersionRow> {
  const row = (await q.findVersionInForce(db, now)) ?? (await q.findFirstVersion(db));
  // Migration 0003 publishes version 1, and versions are never deleted.
  if (!row) throw new Error('no policy version in the database');
  return row;
}

/**
 * The clauses a comment or its author can break: what a report or a moderator's hide or sanction
 * may cite. A clause about the board itself (how it decides, appeals) is none of these.
 */
export function citableClauses(policy: PolicyVersion): PolicyClause[] {
  return policy.clauses.filter((clause) => clause.reportable);
}

export async function getCurrentPolicy(deps: Deps): Promise<PolicyVersion> {
  return versionOf(deps.db, await versionRowInForce(deps.db, deps.clock()));
}

export async function findPolicyVersion(
  deps: Deps,
  version: number,
): Promise<PolicyVersion | undefined> {
  if (!Number.isSafeInteger(version)) return undefined;
  const row = await q.findVersion(deps.db, version);
  return row ? versionOf(deps.db, row) : undefined;
}

/** Every version, newest first, for the history list. */
export async function listPolicyVersions(deps: Deps): Promise<PolicyVersionSummary[]> {
  const rows = await q.listVersions(deps.db);
  return rows.map((row) => ({
    version: row.version,
    effectiveAt: row.effective_at,
    note: { en: row.note_en, ko: row.note_ko },
  }));
}

export async function findClause(
  deps: Deps,
  version: number,
  clauseNumber: number,
): Promise<PolicyClause | undefined> {
  if (!Number.isSafeInteger(version) || !Number.isSafeInteger(clauseNumber)) return undefined;
  const row = await q.findClauseRow(deps.db, version, clauseNumber);
  return row ? clauseOf(row) : undefined;
}

export async function hasAcceptedCurrentPolicy(
  deps: Deps,
  accountId: string,
): Promise<{ accepted: boolean; version: number }> {
  const { version } = await versionRowInForce(deps.db, deps.clock());
  return { accepted: await q.hasAcceptance(deps.db, accountId, version), version };
}

/**
 * Records that a reader accepted the version they read. Accepting twice changes nothing. A
 * reader who read an older version than the one in force is refused (POLICY_CHANGED): they
 * have not read what they would be agreeing to.
 */
export async function acceptPolicy(deps: Deps, accountId: string, version: number): Promise<void> {
  const now = deps.clock();
  const current = await versionRowInForce(deps.db, now);
  if (version !== current.version)
    throw new AppError(
      'POLICY_CHANGED',
      `version ${String(version)} accepted, version ${String(current.version)} in force`,
    );
  await q.insertAcceptance(deps.db, accountId, version, now);
}

/** The number a clause added now would take: one above every clause number ever used. */
export async function nextClauseNumber(deps: Deps): Promise<number> {
  return (await q.highestNumbers(deps.db)).clause + 1;
}

export type PublishPolicyInput = {
  adminId: string;
  intro: Bilingual;
  note: Bilingual;
  clauses: PolicyClause[];
  /**
   * The version the admin edited. When given and no longer the version in force, publishing is
   * refused with POLICY_CHANGED rather than silently undoing what someone else published.
   */
  basedOn?: number;
};

/**
 * Publishes the next version, in force at once. Texts are stored normalised (NFC, trimmed); a
 * draft that breaks a rule of policy.ts is refused with POLICY_INVALID and nothing is written.
 */
export async function publishPolicyVersion(
  deps: PublishDeps,
  input: PublishPolicyInput,
): Promise<PolicyVersion> {
  const draft = normalisePolicyDraft(input);
  const problem = policyDraftProblem(draft);
  if (problem) throw new AppError('POLICY_INVALID', describePolicyProblem(problem));
  const now = deps.clock();
  const published = await deps.db.transaction().execute(async (trx) => {
    await q.lockPolicyForPublishing(trx);
    const current = await versionRowInForce(trx, now);
    if (input.basedOn !== undefined && input.basedOn !== current.version)
      throw new AppError(
        'POLICY_CHANGED',
        `edited version ${String(input.basedOn)}, version ${String(current.version)} in force`,
      );
    const currentNumbers = (await q.listClauses(trx, current.version)).map((c) => c.number);
    const highest = await q.highestNumbers(trx);
    const numbering = clauseNumberProblem(
      draft.clauses.map((c) => c.number),
      currentNumbers,
      highest.clause,
    );
    if (numbering) throw new AppError('POLICY_INVALID', describePolicyProblem(numbering));
    const version = highest.version + 1;
    await q.insertVersion(trx, {
      version,
      effective_at: now,
      published_by: input.adminId,
      intro_en: draft.intro.en,
      intro_ko: draft.intro.ko,
      note_en: draft.note.en,
      note_ko: draft.note.ko,
      created_at: now,
    });
    await q.insertClauses(
      trx,
      draft.clauses.map((c) => ({
        version,
        number: c.number,
        title_en: c.title.en,
        title_ko: c.title.ko,
        text_en: c.text.en,
        text_ko: c.text.ko,
        reportable: c.reportable,
      })),
    );
    // Not one article's content: no change narrower than everything names it.
    await q.notifyContentChanged(trx, EVERYTHING);
    return { version, effectiveAt: now, ...draft };
  });
  deps.contentChanged(EVERYTHING);
  return published;
}

/** The versions a reader accepted, and when: part of what the site keeps about them. */
export async function listAcceptedVersions(
  deps: Deps,
  accountId: string,
): Promise<{ version: number; acceptedAt: Date }[]> {
  const rows = await q.listAcceptances(deps.db, accountId);
  return rows.map((r) => ({ version: r.version, acceptedAt: r.accepted_at }));
}
