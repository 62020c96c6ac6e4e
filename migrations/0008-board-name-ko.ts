import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code, and is never edited once released.
// Written to the PostgreSQL 15 subset so it runs the same on PGlite (PostgreSQL 18) and a server.

// The Korean name of the standards board was written three ways (독자위원회, 심의위원회, 독자위원).
// At Korean dailies a 독자위원회 is an outside panel of readers that reviews the paper's
// journalism; the body that applies the comment policy is a 심의위원회, and its members are
// 심의위원. Policy versions are never edited, but version 1 as seeded is Byline's own default
// text, not a newsroom's decision: where it is still exactly that text, its Korean wording takes
// the board's one name. The meaning of no clause changes, and a version a newsroom published
// itself is never touched.

const introBefore =
  '댓글은 독자가 기사에 대해 의견을 나누는 공간입니다. 독자위원회(모더레이터)는 모든 댓글에 아래 조항을 적용하며, 모든 결정에는 근거가 된 조항을 밝힙니다.';
const introAfter =
  '댓글은 독자가 기사에 대해 의견을 나누는 공간입니다. 심의위원회(모더레이터)는 모든 댓글에 아래 조항을 적용하며, 모든 결정에는 근거가 된 조항을 밝힙니다.';
const clause8Before =
  '숨김 처리된 댓글은 적용된 조항과 함께 작성자에게 표시됩니다. 작성자는 한 번 이의를 제기할 수 있으며, 이의는 다른 독자위원이 판단합니다.';
const clause8After =
  '숨김 처리된 댓글은 적용된 조항과 함께 작성자에게 표시됩니다. 작성자는 한 번 이의를 제기할 수 있으며, 이의는 다른 심의위원이 판단합니다.';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    update policy_versions set intro_ko = ${introAfter}
    where version = 1 and intro_ko = ${introBefore}
  `.execute(db);
  await sql`
    update policy_clauses set text_ko = ${clause8After}
    where version = 1 and number = 8 and text_ko = ${clause8Before}
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    update policy_versions set intro_ko = ${introBefore}
    where version = 1 and intro_ko = ${introAfter}
  `.execute(db);
  await sql`
    update policy_clauses set text_ko = ${clause8Before}
    where version = 1 and number = 8 and text_ko = ${clause8After}
  `.execute(db);
}
