import { editionPrefix, type Language } from '../lib/language.js';
import { Layout } from '../views/layout.js';
import type { ViewContext } from '../views/site.js';
import type {
  HiddenByClause,
  TransparencyFigures,
  TransparencyMonth,
  TransparencyReport,
} from './moderation-transparency.service.js';

/**
 * The public transparency report: per month, one table of what the board did and one of the
 * clauses it hid comments under, then a sentence on what each figure counts. Tables keep their
 * captions and header scopes so a screen reader names every number it reads.
 */

export function transparencyPath(language: Language): string {
  return `${editionPrefix(language)}/transparency`;
}

/** The policy pages' addresses, spelled here: a feature links to another's pages, not its code. */
function policyPath(language: Language, version?: number): string {
  const base = `${editionPrefix(language)}/policy`;
  return version === undefined ? base : `${base}/versions/${String(version)}`;
}

type Figure = keyof TransparencyFigures;

/** The table's row groups, in the order the page shows and explains them. */
const GROUPS: readonly { key: 'comments' | 'appeals' | 'sanctions'; figures: Figure[] }[] = [
  { key: 'comments', figures: ['published', 'held', 'hidden', 'restored', 'deleted', 'reported'] },
  { key: 'appeals', figures: ['appealsFiled', 'appealsUpheld', 'appealsGranted'] },
  { key: 'sanctions', figures: ['warnings', 'suspensions', 'bans'] },
];

export function TransparencyPage({
  ctx,
  report,
  monthsShown,
}: {
  ctx: ViewContext;
  report: TransparencyReport;
  monthsShown: number;
}) {
  const { t, language } = ctx;
  const tt = t.transparency;
  const other: Language = language === 'en' ? 'ko' : 'en';
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: tt.title,
        canonicalPath: transparencyPath(language),
        switchPath: transparencyPath(other),
        alternate: { language: other, path: transparencyPath(other) },
      }}
    >
      <article class="transparency">
        <h1>{tt.title}</h1>
        <p>{tt.intro}</p>
        <p>
          {tt.policyBefore} <a href={policyPath(language)}>{tt.policyLink}</a>
          {tt.policyAfter}
        </p>
        <p>{tt.window(String(monthsShown), report.timeZone)}</p>
        {report.months.length === 0 ? <p class="notice">{tt.empty}</p> : null}
        {report.months.map((month) => (
          <MonthSection
            ctx={ctx}
            month={month}
            key={`${String(month.year)}-${String(month.month)}`}
          />
        ))}
        <section aria-labelledby="transparency-definitions">
          <h2 id="transparency-definitions">{tt.definitionsHeading}</h2>
          {GROUPS.map((group) => (
            <dl key={group.key}>
              {group.figures.map((figure) => (
                <div key={figure}>
                  <dt>{tt.figures[figure]}</dt>
                  <dd>{tt.definitions[figure]}</dd>
                </div>
              ))}
            </dl>
          ))}
        </section>
      </article>
    </Layout>
  );
}

function MonthSection({ ctx, month }: { ctx: ViewContext; month: TransparencyMonth }) {
  const tt = ctx.t.transparency;
  const name = tt.monthHeading(month.year, month.month);
  const id = `month-${String(month.year)}-${String(month.month).padStart(2, '0')}`;
  return (
    <section aria-labelledby={id} class="transparency-month">
      <h2 id={id}>{name}</h2>
      <table>
        <caption>{tt.figuresCaption(name)}</caption>
        <thead>
          <tr>
            <th scope="col">{tt.figureHeader}</th>
            <th scope="col">{tt.countHeader}</th>
          </tr>
        </thead>
        {GROUPS.map((group) => (
          <tbody key={group.key}>
            <tr>
              <th scope="rowgroup" colSpan={2}>
                {tt.groups[group.key]}
              </th>
            </tr>
            {group.figures.map((figure) => (
              <tr key={figure}>
                <th scope="row">{tt.figures[figure]}</th>
                <td>{String(month.figures[figure])}</td>
              </tr>
            ))}
          </tbody>
        ))}
      </table>
      {month.hiddenByClause.length > 0 ? (
        <ClauseTable ctx={ctx} monthName={name} rows={month.hiddenByClause} />
      ) : null}
    </section>
  );
}

function ClauseTable({
  ctx,
  monthName,
  rows,
}: {
  ctx: ViewContext;
  monthName: string;
  rows: readonly HiddenByClause[];
}) {
  const { language } = ctx;
  const tt = ctx.t.transparency;
  return (
    <>
      <table>
        <caption>{tt.clausesCaption(monthName)}</caption>
        <thead>
          <tr>
            <th scope="col">{tt.clauseHeader}</th>
            <th scope="col">{tt.versionHeader}</th>
            <th scope="col">{tt.hiddenHeader}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const number = String(row.clause);
            const label = row.title
              ? tt.clauseTitle(number, row.title[language])
              : tt.clauseUntitled(number);
            return (
              <tr key={`${String(row.policyVersion)}:${number}`}>
                <th scope="row">
                  {row.policyVersion === null ? (
                    label
                  ) : (
                    <a href={`${policyPath(language, row.policyVersion)}#clause-${number}`}>
                      {label}
                    </a>
                  )}
                </th>
                <td>
                  {row.policyVersion === null
                    ? tt.noVersion
                    : tt.version(String(row.policyVersion))}
                </td>
                <td>{String(row.count)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="transparency-note">{tt.clausesNote}</p>
    </>
  );
}
