import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code, and is never edited once released.
// Written to the PostgreSQL 15 subset so it runs the same on PGlite (PostgreSQL 18) and a server.

export async function up(db: Kysely<unknown>): Promise<void> {
  // One published version of the Standards Board Policy. Versions are never edited or deleted:
  // moderation decisions cite (version, clause number), and readers accept a version.
  await db.schema
    .createTable('policy_versions')
    .addColumn('version', 'integer', (c) => c.primaryKey().check(sql`version > 0`))
    .addColumn('effective_at', 'timestamptz', (c) => c.notNull())
    // Who published it, as a plain id: no foreign key, so that emptying the accounts table
    // (`truncate … cascade`) can never take the published policy with it.
    .addColumn('published_by', 'bigint')
    .addColumn('intro_en', 'text', (c) => c.notNull())
    .addColumn('intro_ko', 'text', (c) => c.notNull())
    // A short "what changed" note shown in the history; empty for the first version.
    .addColumn('note_en', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('note_ko', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // The clauses of a version. A clause number names one rule for ever: a removed clause's number
  // is never given to a different rule, so an old decision's citation keeps its meaning.
  await db.schema
    .createTable('policy_clauses')
    .addColumn('version', 'integer', (c) => c.notNull().references('policy_versions.version'))
    .addColumn('number', 'integer', (c) => c.notNull().check(sql`number > 0`))
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('title_ko', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('text_ko', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_clauses_pkey', ['version', 'number'])
    .execute();

  // A reader's acceptance of one version, required before commenting under it.
  await db.schema
    .createTable('policy_acceptances')
    .addColumn('account_id', 'bigint', (c) =>
      c.notNull().references('accounts.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull().references('policy_versions.version'))
    .addColumn('accepted_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('policy_acceptances_pkey', ['account_id', 'version'])
    .execute();

  // Version 1, exactly as it was published in code before it became data.
  await sql`
    insert into policy_versions (version, effective_at, intro_en, intro_ko)
    values (1, ${'2026-11-30T00:00:00+09:00'}::timestamptz, ${introEn}, ${introKo})
  `.execute(db);
  for (const [number, titleEn, textEn, titleKo, textKo] of clauses)
    await sql`
      insert into policy_clauses (version, number, title_en, text_en, title_ko, text_ko)
      values (1, ${number}, ${titleEn}, ${textEn}, ${titleKo}, ${textKo})
    `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['policy_acceptances', 'policy_clauses', 'policy_versions'])
    await db.schema.dropTable(table).execute();
}

const introEn =
  'Comments are a place for readers to discuss what we publish. The Standards Board, our moderators, applies the clauses below to every comment, and every decision it takes cites the clause it rests on.';
const introKo =
  '댓글은 독자가 기사에 대해 의견을 나누는 공간입니다. 독자위원회(모더레이터)는 모든 댓글에 아래 조항을 적용하며, 모든 결정에는 근거가 된 조항을 밝힙니다.';

// [number, English title, English text, Korean title, Korean text]
const clauses: [number, string, string, string, string][] = [
  [
    1,
    'Stay on the article',
    'Comments discuss the article they appear under. Unrelated advertising, chain messages and repeated posts are removed.',
    '기사와 관련된 내용',
    '댓글은 해당 기사에 관한 의견이어야 합니다. 관련 없는 광고, 연쇄 메시지, 같은 내용의 반복 게시는 삭제됩니다.',
  ],
  [
    2,
    'No abuse',
    'Insults, threats, harassment and slurs aimed at any person or group, including other readers and the people in the news, are not allowed.',
    '욕설·모욕 금지',
    '다른 독자나 기사 속 인물을 포함해 누구에게든 모욕, 위협, 괴롭힘, 비하 표현을 해서는 안 됩니다.',
  ],
  [
    3,
    'No hate or discrimination',
    'Content that demeans people for their nationality, ethnicity, religion, sex, gender, sexual orientation, disability, age or region of origin is removed.',
    '혐오·차별 금지',
    '국적, 민족, 종교, 성별, 성 정체성, 성적 지향, 장애, 나이, 출신 지역을 이유로 사람을 비하하는 내용은 삭제됩니다.',
  ],
  [
    4,
    'Respect privacy',
    "Do not publish anyone's personal information, such as a phone number, address, identification number or private photograph.",
    '사생활 보호',
    '전화번호, 주소, 주민등록번호, 사적인 사진 등 타인의 개인정보를 게시해서는 안 됩니다.',
  ],
  [
    5,
    'Obey the law',
    'Defamation, incitement to crime, infringement of copyright and content unlawful under the laws of the Republic of Korea are removed and may be reported to the authorities.',
    '법령 준수',
    '명예훼손, 범죄 선동, 저작권 침해 등 대한민국 법령에 어긋나는 내용은 삭제되며 관계 기관에 신고될 수 있습니다.',
  ],
  [
    6,
    'No false identity',
    'Do not impersonate another person, a journalist of this newspaper or a public official.',
    '사칭 금지',
    '다른 사람, 본지 기자, 공무원을 사칭해서는 안 됩니다.',
  ],
  [
    7,
    'Length and form',
    'A comment is plain text of at most 250 visible characters. Links are allowed; they are shown as plain links.',
    '분량과 형식',
    '댓글은 보이는 글자 기준 250자 이내의 일반 텍스트입니다. 링크는 허용되며 일반 링크로 표시됩니다.',
  ],
  [
    8,
    'Decisions and appeals',
    'A hidden comment is shown to its author with the clause that was applied. The author may appeal once; a different member of the Standards Board decides the appeal.',
    '결정과 이의 제기',
    '숨김 처리된 댓글은 적용된 조항과 함께 작성자에게 표시됩니다. 작성자는 한 번 이의를 제기할 수 있으며, 이의는 다른 독자위원이 판단합니다.',
  ],
];
