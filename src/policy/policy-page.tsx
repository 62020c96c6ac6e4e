import { editionPrefix } from '../lib/language.js';
import { formatNewsroomDate } from '../views/dates.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import type { PolicyDocument } from './policy-text.js';

export function PolicyPage({ ctx, policy }: { ctx: ViewContext; policy: PolicyDocument }) {
  const { t, language, site } = ctx;
  const other = language === 'en' ? 'ko' : 'en';
  const path = `${editionPrefix(language)}/policy`;
  const otherPath = `${editionPrefix(other)}/policy`;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: t.policyTitle,
        canonicalPath: path,
        switchPath: otherPath,
        alternate: { language: other, path: otherPath },
      }}
    >
      <article class="policy">
        <h1>{t.policyTitle}</h1>
        <p class="policy-version">
          {t.policyVersion(
            policy.version,
            formatNewsroomDate(policy.effective, site.timeZone, language),
          )}
        </p>
        <p>{policy.intro}</p>
        <ol class="policy-clauses">
          {policy.clauses.map((clause) => (
            <li id={`clause-${clause.number}`} key={clause.number} value={Number(clause.number)}>
              <h2>{clause.title}</h2>
              <p>{clause.text}</p>
            </li>
          ))}
        </ol>
      </article>
    </Layout>
  );
}
