import type { ColumnType, Generated } from 'kysely';

/**
 * The database as Kysely sees it, written by hand beside the migrations that make it.
 * bigint ids arrive as strings on both backends (node-postgres and PGlite's pg adapter), and we
 * keep them strings: no JS number can silently round an id.
 */

type Id = Generated<string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: parsed on the way out, and written as the JSON text we serialised ourselves. */
type Json<T> = ColumnType<T, string, string>;

export type ArticleStatusColumn =
  'draft' | 'in_review' | 'scheduled' | 'published' | 'unpublished' | 'archived';

export interface SectionsTable {
  id: Id;
  slug: string;
  name_en: string;
  name_ko: string;
  position: ColumnType<number, number | undefined, number>;
}

export interface PeopleTable {
  id: Id;
  slug: string;
  name: string;
  email: string | null;
  bio: ColumnType<string, string | undefined, string>;
  /** The same person under their name in the other edition (migration 0007). */
  counterpart_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TagsTable {
  id: Id;
  slug: string;
  name: string;
  /** The same tag in the other language (migration 0007). */
  counterpart_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ArticlesTable {
  id: Id;
  language: 'en' | 'ko';
  slug: string;
  path: string | null;
  headline: string;
  summary: ColumnType<string, string | undefined, string>;
  body: Json<unknown>;
  status: ArticleStatusColumn;
  section_id: string;
  credit_line: string | null;
  translation_id: string | null;
  image_src: string | null;
  image_alt: string | null;
  image_caption: string | null;
  image_credit: string | null;
  published_at: Timestamp | null;
  updated_at: Timestamp | null;
  created_at: DefaultedTimestamp;
  modified_at: DefaultedTimestamp;
  /** The newsroom (migration 0010). */
  created_by: ColumnType<string | null, string | null | undefined, string | null>;
  head_revision: ColumnType<number, number | undefined, number>;
  live_revision: ColumnType<number | null, number | null | undefined, number | null>;
  pending_review: ColumnType<boolean, boolean | undefined, boolean>;
  scheduled_for: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  scheduled_revision: ColumnType<number | null, number | null | undefined, number | null>;
  embargo_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type RevisionReasonColumn = 'baseline' | 'save' | 'conflict' | 'restore';

export interface ArticleRevisionsTable {
  id: Id;
  article_id: string;
  number: number;
  based_on: number | null;
  reason: RevisionReasonColumn;
  account_id: string | null;
  headline: string;
  content: Json<unknown>;
  created_at: DefaultedTimestamp;
}

export interface ArticleNotesTable {
  id: Id;
  article_id: string;
  account_id: string | null;
  kind: 'note' | 'sent_back';
  body: string;
  created_at: DefaultedTimestamp;
}

export interface StoryLocksTable {
  article_id: string;
  account_id: string;
  since: Timestamp;
  seen_at: Timestamp;
  taken_from: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ArticlePublicationsTable {
  id: Id;
  article_id: string;
  revision: number | null;
  account_id: string | null;
  due_at: Timestamp | null;
  published_at: Timestamp;
  process: string;
}

export interface ArticleCorrectionsTable {
  id: Id;
  article_id: string;
  kind: 'correction' | 'clarification';
  body: string;
  account_id: string | null;
  published_at: Timestamp;
}

export interface ArticleBylinesTable {
  article_id: string;
  person_id: string;
  position: number;
}

export interface ArticleTagsTable {
  article_id: string;
  tag_id: string;
  position: number;
}

export interface ArticleRedirectsTable {
  path: string;
  article_id: string;
  created_at: DefaultedTimestamp;
}

export interface SiteMetaTable {
  key: string;
  value: string;
  updated_at: DefaultedTimestamp;
}

export type RoleColumn = 'reader' | 'moderator' | 'reporter' | 'editor' | 'admin';

export interface AccountsTable {
  id: Id;
  display_name: string | null;
  avatar_url: string | null;
  role: ColumnType<RoleColumn, RoleColumn | undefined, RoleColumn>;
  status: ColumnType<
    'active' | 'suspended' | 'deleted',
    'active' | undefined,
    'active' | 'suspended' | 'deleted'
  >;
  staff_email: string | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: ColumnType<string | null, number | null | undefined, number | null>;
  /** A member of staff who also sits on the standards board (migration 0005). */
  on_board: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: DefaultedTimestamp;
  deleted_at: Timestamp | null;
}

export interface IdentitiesTable {
  provider: string;
  subject: string;
  account_id: string;
  email: string | null;
  created_at: DefaultedTimestamp;
  last_login_at: DefaultedTimestamp;
}

export interface SessionsTable {
  id: Id;
  token_hash: string;
  account_id: string;
  kind: 'reader' | 'staff';
  method: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  user_agent: ColumnType<string, string | undefined, string>;
  ip: ColumnType<string, string | undefined, string>;
}

export interface AuthFlowsTable {
  id: string;
  kind: 'oauth' | 'email';
  provider: string;
  state: string | null;
  nonce: string | null;
  code_verifier: string | null;
  email: string | null;
  code_hash: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  language: 'en' | 'ko';
  return_to: string;
  link_account_id: string | null;
  expires_at: Timestamp;
}

export interface RateLimitsTable {
  key: string;
  window_start: Timestamp;
  hits: number;
}

export interface StaffDevicesTable {
  token_hash: string;
  account_id: string;
  expires_at: Timestamp;
}

export interface StaffSetupTokensTable {
  token_hash: string;
  account_id: string;
  totp_secret: string;
  expires_at: Timestamp;
}

export interface PolicyVersionsTable {
  version: number;
  effective_at: Timestamp;
  published_by: string | null;
  intro_en: string;
  intro_ko: string;
  note_en: ColumnType<string, string | undefined, string>;
  note_ko: ColumnType<string, string | undefined, string>;
  created_at: DefaultedTimestamp;
}

export interface PolicyClausesTable {
  version: number;
  number: number;
  title_en: string;
  title_ko: string;
  text_en: string;
  text_ko: string;
  /** Whether a comment can break the clause, so that readers may cite it in a report. */
  reportable: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface PolicyAcceptancesTable {
  account_id: string;
  version: number;
  accepted_at: DefaultedTimestamp;
}

export type CommentStatusColumn = 'published' | 'pending' | 'hidden' | 'deleted';

export interface CommentThreadSettingsColumns {
  state: 'open' | 'closed' | null;
  close_after_hours: number | null;
  premoderated: boolean | null;
  updated_by: string | null;
  updated_at: DefaultedTimestamp;
}

export interface CommentSectionSettingsTable extends CommentThreadSettingsColumns {
  section_id: string;
}

export interface CommentArticleSettingsTable extends CommentThreadSettingsColumns {
  article_id: string;
}

export interface CommentsTable {
  id: Id;
  article_id: string;
  parent_id: string | null;
  root_id: string | null;
  depth: ColumnType<number, number | undefined, number>;
  author_id: string;
  body: string;
  body_hash: string;
  status: CommentStatusColumn;
  policy_version: number;
  up_count: ColumnType<number, number | undefined, number>;
  down_count: ColumnType<number, number | undefined, number>;
  ratio_score: ColumnType<number, number | undefined, number>;
  reply_count: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  edited_at: Timestamp | null;
  deleted_at: Timestamp | null;
  moderation_rev: ColumnType<number, number | undefined, number>;
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
  claimed_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  featured_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface CommentCountsTable {
  article_id: string;
  published: ColumnType<number, number | undefined, number>;
}

export interface CommentRevisionsTable {
  id: Id;
  comment_id: string;
  body: string;
  replaced_at: Timestamp;
}

export interface CommentVotesTable {
  comment_id: string;
  account_id: string;
  value: number;
  voted_at: Timestamp;
}

export interface CommentVoteEventsTable {
  id: Id;
  account_id: string;
  at: Timestamp;
}

export interface CommentReportsTable {
  id: Id;
  comment_id: string;
  reporter_id: string;
  policy_version: number;
  clause_number: number;
  note: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  resolved_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type ModerationLogAction =
  | 'comment_published'
  | 'comment_held'
  | 'comment_deleted'
  | 'comment_reported'
  | 'comment_approved'
  | 'comment_rejected'
  | 'comment_restored'
  | 'comment_featured'
  | 'comment_unfeatured'
  | 'appeal_filed'
  | 'appeal_upheld'
  | 'appeal_granted'
  | 'reader_warned'
  | 'reader_suspended'
  | 'reader_banned'
  | 'reader_reinstated'
  | 'words_changed';

/** Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE): only Insertable matters. */
export interface ModerationLogTable {
  id: Id;
  at: Timestamp;
  action: ModerationLogAction;
  actor_id: string | null;
  comment_id: string | null;
  article_id: string | null;
  account_id: string | null;
  policy_version: number | null;
  clauses: ColumnType<number[], string | undefined, never>;
  note: string | null;
  from_state: string | null;
  to_state: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface ReaderStandingTable {
  account_id: string;
  suspended_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  banned: ColumnType<boolean, boolean | undefined, boolean>;
  warnings: ColumnType<number, number | undefined, number>;
  rev: ColumnType<number, number | undefined, number>;
}

export type AppealStatusColumn = 'open' | 'upheld' | 'granted';

export interface CommentAppealsTable {
  id: Id;
  comment_id: string;
  author_id: string;
  decision_id: string;
  decided_by_first: string | null;
  reason: string;
  status: ColumnType<AppealStatusColumn, AppealStatusColumn | undefined, AppealStatusColumn>;
  created_at: Timestamp;
  decided_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  decided_by: ColumnType<string | null, string | null | undefined, string | null>;
  rev: ColumnType<number, number | undefined, number>;
  claimed_by: ColumnType<string | null, string | null | undefined, string | null>;
  claimed_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ModerationWordsTable {
  word: string;
  kind: 'banned' | 'suspect';
  added_by: string | null;
  added_at: Timestamp;
}

/** The site's own pages, one Markdown text per key and edition (migration 0006). */
export interface SitePagesTable {
  key: 'privacy' | 'terms' | 'about';
  language: 'en' | 'ko';
  body: string;
  updated_at: DefaultedTimestamp;
  /** null on the rows the migration seeded; the admin who saved the text after that. */
  updated_by: string | null;
}

export interface Database {
  accounts: AccountsTable;
  identities: IdentitiesTable;
  sessions: SessionsTable;
  auth_flows: AuthFlowsTable;
  rate_limits: RateLimitsTable;
  staff_setup_tokens: StaffSetupTokensTable;
  staff_devices: StaffDevicesTable;
  site_meta: SiteMetaTable;
  sections: SectionsTable;
  people: PeopleTable;
  tags: TagsTable;
  articles: ArticlesTable;
  article_bylines: ArticleBylinesTable;
  article_tags: ArticleTagsTable;
  article_redirects: ArticleRedirectsTable;
  article_revisions: ArticleRevisionsTable;
  article_notes: ArticleNotesTable;
  story_locks: StoryLocksTable;
  article_publications: ArticlePublicationsTable;
  article_corrections: ArticleCorrectionsTable;
  policy_versions: PolicyVersionsTable;
  policy_clauses: PolicyClausesTable;
  policy_acceptances: PolicyAcceptancesTable;
  comment_section_settings: CommentSectionSettingsTable;
  comment_article_settings: CommentArticleSettingsTable;
  comments: CommentsTable;
  comment_counts: CommentCountsTable;
  comment_revisions: CommentRevisionsTable;
  comment_votes: CommentVotesTable;
  comment_vote_events: CommentVoteEventsTable;
  comment_reports: CommentReportsTable;
  moderation_log: ModerationLogTable;
  reader_standing: ReaderStandingTable;
  comment_appeals: CommentAppealsTable;
  moderation_words: ModerationWordsTable;
  site_pages: SitePagesTable;
}
