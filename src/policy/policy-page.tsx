import { editionPrefix, type Language } from '../lib/language.js';
import { formatNewsroomDate } from '../views/dates.js';
import { CsrfField } from '../views/forms.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import type { PolicyVersion, PolicyVersionSummary } from './policy.js';

/** The policy as readers see it: one version, its clauses with stable anchors, and its history. */

/** For a logged-in reader looking at the version in force: whether they accepted it yet. */
export type PolicyAcceptance = { accepted: boolean; returnTo: string };

/** Where a version lives: the version in force at /policy, every version under /versions/. */
export function policyPath(language: Language, version?: number): string {
  const base = `${editionPrefix(language)}/policy`;
  return version === undefined ? base : `${base}/versions/${String(version)}`;
}

/** A clause's text: blank lines separate its paragraphs. */
function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n\s*\n/).map((paragraph, i) => (
        <p key={i}>{paragraph}</p>
      ))}
    </>
  );
}

export function PolicyPage({
  ctx,
  policy,
  currentVersion,
  history,
  atVersionPath,
  acceptance,
}: {
  ctx: ViewContext;
  policy: PolicyVersion;
  currentVersion: number;
  history: readonly PolicyVersionSummary[];
  /** Shown at /policy/versions/<n> (true) or at /policy (false). */
  atVersionPath: boolean;
  acceptance: PolicyAcceptance | null;
}) {
  const { t, language, site } = ctx;
  const other: Language = language === 'en' ? 'ko' : 'en';
  const version = atVersionPath ? policy.version : undefined;
  const path = policyPath(language, version);
  const otherPath = policyPath(other, version);
  const isCurrent = policy.version === currentVersion;
  const date = (d: Date) => formatNewsroomDate(d, site.timeZone, language);
  const first = history.at(-1)?.version;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: atVersionPath ? t.policyVersionTitle(String(policy.version)) : t.policyTitle,
        canonicalPath: path,
        switchPath: otherPath,
        alternate: { language: other, path: otherPath },
      }}
    >
      <article class="policy">
        <h1>{atVersionPath ? t.policyVersionTitle(String(policy.version)) : t.policyTitle}</h1>
        <p class="policy-version">
          {t.policyVersion(String(policy.version), date(policy.effectiveAt))}
        </p>
        {atVersionPath ? (
          <p class="notice policy-status">
            {isCurrent ? t.policyIsCurrent : t.policyIsOld}{' '}
            {isCurrent ? null : <a href={policyPath(language)}>{t.policyReadCurrent}</a>}
          </p>
        ) : null}
        <p>{policy.intro[language]}</p>
        <ol class="policy-clauses">
          {policy.clauses.map((clause) => (
            <li id={`clause-${String(clause.number)}`} key={clause.number} value={clause.number}>
              <h2>{clause.title[language]}</h2>
              <Paragraphs text={clause.text[language]} />
            </li>
          ))}
        </ol>
        {acceptance && isCurrent && ctx.csrfToken ? (
          <AcceptForm
            ctx={ctx}
            csrfToken={ctx.csrfToken}
            version={policy.version}
            acceptance={acceptance}
          />
        ) : null}
      </article>
      <section class="policy-history" aria-labelledby="policy-history">
        <h2 id="policy-history">{t.policyHistory}</h2>
        <ul>
          {history.map((entry) => (
            <li key={entry.version}>
              <a href={policyPath(language, entry.version)}>
                {t.policyHistoryEntry(String(entry.version), date(entry.effectiveAt))}
              </a>
              {entry.version === currentVersion ? ` (${t.policyHistoryCurrent})` : null}
              {entry.note[language] !== '' ? (
                <p>{entry.note[language]}</p>
              ) : entry.version === first ? (
                <p>{t.policyHistoryFirst}</p>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

function AcceptForm({
  ctx,
  csrfToken,
  version,
  acceptance,
}: {
  ctx: ViewContext;
  csrfToken: string;
  version: number;
  acceptance: PolicyAcceptance;
}) {
  const { t, language } = ctx;
  if (acceptance.accepted)
    return <p class="notice policy-accepted">{t.policyAccepted(String(version))}</p>;
  return (
    <form method="post" action={`${policyPath(language)}/accept`} class="policy-accept">
      <p>{t.policyAcceptPrompt}</p>
      <CsrfField token={csrfToken} />
      <input type="hidden" name="version" value={String(version)} />
      <input type="hidden" name="returnTo" value={acceptance.returnTo} />
      <button type="submit">{t.policyAccept(String(version))}</button>
    </form>
  );
}
