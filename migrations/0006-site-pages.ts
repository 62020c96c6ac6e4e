import { sql, type Kysely } from 'kysely';

// Frozen in time: this file never imports application code, and is never edited once released.
// Written to the PostgreSQL 15 subset so it runs the same on PGlite (PostgreSQL 18) and a server.

export async function up(db: Kysely<unknown>): Promise<void> {
  // The site's own pages (privacy policy, terms of use, about), one Markdown text per edition,
  // edited by an admin. The seeded rows have no editor: `updated_by` null marks them as the
  // migration's own (a restore replaces them with the archive's).
  await db.schema
    .createTable('site_pages')
    .addColumn('key', 'text', (c) => c.notNull().check(sql`key in ('privacy', 'terms', 'about')`))
    .addColumn('language', 'text', (c) => c.notNull().check(sql`language in ('en', 'ko')`))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // A plain id, as policy_versions.published_by: emptying accounts never takes a page with it.
    .addColumn('updated_by', 'bigint')
    .addPrimaryKeyConstraint('site_pages_pkey', ['key', 'language'])
    .execute();

  for (const [key, language, body] of pages)
    await sql`
      insert into site_pages (key, language, body, updated_at)
      values (${key}, ${language}, ${body}, ${'2026-12-07T00:00:00Z'}::timestamptz)
    `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('site_pages').execute();
}

const privacyEn = `This policy says what personal information this site keeps about its readers, why, for how long, and how you can see, download or delete it. It covers both editions of the site.

## What the site keeps

- **Your account**: the name you show beside your comments, and the profile picture your login provider gives, if any.
- **The accounts you log in with**: for each way you log in (Kakao, Naver, Google, Apple, Facebook, X, another OpenID provider, or a code sent by e-mail), the number that provider gives you, the e-mail address it reports, and when you last logged in that way.
- **Where you are logged in**: for each session, the IP address and the browser name (User-Agent) it started from, when it started and when it was last used.
- **What you write and do**: your comments and, when you edit one, its earlier versions; your agreements and disagreements with others' comments; your reports and appeals to the standards board; and the versions of the Standards Board Policy you accepted.
- **The standards board's decisions** about your comments and your account (hiding a comment, a warning, a suspension), with the clause they cite.
- **Counters against abuse**: the IP address or e-mail address that asked for a login or a login code, counted for an hour at a time.

The site does not sell any of this, show advertising based on it, or pass it to anyone else, unless a law obliges the newsroom to.

## Why

To let you log in and keep your account safe; to show your name beside your comments; to let the standards board apply the policy you accepted and hear your appeals; and to stop spam, floods of requests and attacks on accounts. The IP address and browser name of each session let you see where you are logged in and end a session you do not recognise.

## For how long

- A session ends after 7 days without use, and after 30 days at the latest. It is deleted, with its IP address and browser name, when you log out or at the latest 30 days after you logged in.
- A login code expires after 10 minutes. A browser that logged in with a code is remembered for 180 days, so that its code requests have their own allowance.
- Counters against abuse are deleted after a day.
- Everything else is kept while your account exists.

## Cookies

The site sets only the cookies it needs to work: your session, a token that protects its forms against forgery, a login under way, and the browser remembered for e-mailed codes. It sets no advertising or tracking cookies.

## See, download and delete your data

On your account page (the link below, or your name at the top of every page once you are logged in) you can:

- see the accounts you log in with and every place you are logged in, and log out of any of them;
- download your account, logins, sessions, comments, votes, reports and policy acceptances as a file (JSON);
- delete your account. Your name, picture, logins and sessions are removed at once. Your comments stay in their threads, shown as from a deleted account, because replies and decisions refer to them: delete those you want gone before you delete the account.

To ask for anything else to be corrected or deleted, contact the newsroom as the About page says.

## Changes

When this policy changes, the date at the foot of this page changes with it.`;

const privacyKo = `이 방침은 이 사이트가 독자의 개인정보를 무엇을, 왜, 얼마 동안 보관하는지, 그리고 독자가 자신의 정보를 어떻게 확인하고 내려받고 삭제할 수 있는지 설명합니다. 영문판과 한국어판 모두에 적용됩니다.

## 보관하는 정보

- **계정**: 댓글 옆에 표시되는 이름, 그리고 로그인 서비스가 제공하는 경우 프로필 사진.
- **로그인에 쓰는 계정**: 로그인 방법(카카오, 네이버, 구글, 애플, 페이스북, 엑스, 그 밖의 로그인 서비스, 이메일 인증 코드)마다 그 서비스가 부여한 식별 번호, 그 서비스가 알려 준 이메일 주소, 그 방법으로 마지막으로 로그인한 때.
- **로그인된 곳**: 세션마다 로그인한 IP 주소와 브라우저 이름, 로그인한 때와 마지막으로 사용한 때.
- **독자가 쓰고 한 일**: 댓글과, 댓글을 고친 경우 고치기 전의 내용, 다른 독자의 댓글에 남긴 공감·비공감, 심의위원회에 보낸 신고와 이의 제기, 동의한 심의위원회 운영 원칙의 판.
- **심의위원회의 결정**: 독자의 댓글과 계정에 관한 결정(댓글 숨김, 경고, 정지)과 그 근거 조항.
- **남용 방지 기록**: 로그인이나 인증 코드를 요청한 IP 주소 또는 이메일 주소를 한 시간 단위로 센 기록.

이 정보를 판매하거나, 광고에 이용하거나, 법령에 따른 의무가 있는 경우를 제외하고 다른 곳에 제공하지 않습니다.

## 보관하는 이유

로그인을 제공하고 계정을 안전하게 지키기 위해, 댓글 옆에 이름을 표시하기 위해, 심의위원회가 독자가 동의한 운영 원칙을 적용하고 이의 제기를 심사하기 위해, 그리고 스팸과 과도한 요청, 계정 공격을 막기 위해서입니다. 세션의 IP 주소와 브라우저 이름은 독자가 로그인된 곳을 확인하고 모르는 세션을 끝낼 수 있게 합니다.

## 보관 기간

- 세션은 7일 동안 쓰지 않으면, 늦어도 30일이 지나면 끝납니다. 세션과 그 IP 주소, 브라우저 이름은 로그아웃할 때, 늦어도 로그인한 지 30일이 지나면 삭제됩니다.
- 로그인 인증 코드는 10분 뒤 만료됩니다. 인증 코드로 로그인한 브라우저는 인증 코드 요청 한도를 따로 두기 위해 180일 동안 기억합니다.
- 남용 방지 기록은 하루가 지나면 삭제됩니다.
- 그 밖의 정보는 계정이 있는 동안 보관합니다.

## 쿠키

이 사이트는 동작에 꼭 필요한 쿠키만 씁니다. 로그인 세션, 양식 위조를 막는 토큰, 진행 중인 로그인, 이메일 인증 코드용으로 기억한 브라우저입니다. 광고나 추적용 쿠키는 쓰지 않습니다.

## 내 정보 확인, 내려받기, 삭제

내 계정 페이지(아래 링크, 또는 로그인한 뒤 모든 페이지 위쪽의 내 이름)에서 다음을 할 수 있습니다.

- 로그인에 쓰는 계정과 로그인된 모든 곳을 확인하고, 어느 곳에서든 로그아웃할 수 있습니다.
- 계정, 로그인, 세션, 댓글, 공감·비공감, 신고, 운영 원칙 동의 기록을 파일(JSON)로 내려받을 수 있습니다.
- 계정을 삭제할 수 있습니다. 이름, 사진, 로그인 정보, 세션은 즉시 지워집니다. 답글과 결정이 댓글을 가리키므로 댓글은 삭제된 계정의 댓글로 남습니다. 지우고 싶은 댓글은 계정을 삭제하기 전에 지워 주십시오.

그 밖의 정보를 고치거나 지우도록 요청하려면 소개 페이지에 적힌 방법으로 편집국에 연락해 주십시오.

## 변경

이 방침이 바뀌면 이 페이지 아래의 날짜도 함께 바뀝니다.`;

const termsEn = `These terms apply to everyone who reads this site or takes part in it, in either edition.

## Reading

Articles, photographs and graphics belong to the newsroom or to those who licensed them to it. You may read them, link to them and quote short passages with credit. Republishing whole articles needs the newsroom's permission.

## Your account

You log in with an account you already have elsewhere, or with a code sent to your e-mail address. Keep that account safe: whoever can log in to it can act as you here. Use one account for yourself and do not pretend to be someone else.

## Comments

Your comments are your own words, and you are responsible for them. By posting one, you allow the site to publish it beside the article, in both editions, for as long as it stays up. Every comment follows the Standards Board Policy (linked at the foot of every page): the standards board may hide a comment or suspend an account that breaks it, citing the clause, and you may appeal its decision once.

## What the site may do

The newsroom may change or end any part of the site, and may close comments on an article. It may change these terms; the date at the foot of this page shows when they last changed.

## Personal information

How the site handles your personal information is set out in the privacy policy.`;

const termsKo = `이 약관은 이 사이트의 영문판과 한국어판을 읽거나 참여하는 모든 분에게 적용됩니다.

## 기사 이용

기사, 사진, 그래픽의 권리는 편집국 또는 편집국에 이용을 허락한 권리자에게 있습니다. 기사를 읽고, 링크하고, 출처를 밝혀 짧게 인용할 수 있습니다. 기사 전체를 다시 게재하려면 편집국의 허락이 필요합니다.

## 계정

다른 곳에서 이미 쓰는 계정이나 이메일로 받은 인증 코드로 로그인합니다. 그 계정을 안전하게 지켜 주십시오. 그 계정으로 로그인할 수 있는 사람은 이 사이트에서 독자 본인처럼 행동할 수 있습니다. 본인의 계정 하나만 쓰고, 다른 사람을 사칭하지 마십시오.

## 댓글

댓글은 독자 자신의 글이며 그 책임도 독자에게 있습니다. 댓글을 올리면, 그 댓글이 게시되어 있는 동안 사이트가 영문판과 한국어판의 기사 옆에 게시하는 것에 동의하는 것입니다. 모든 댓글은 심의위원회 운영 원칙(모든 페이지 아래에 링크)을 따릅니다. 심의위원회는 원칙을 어긴 댓글을 숨기거나 계정을 정지할 수 있으며, 그때 근거 조항을 밝힙니다. 독자는 결정마다 한 번 이의를 제기할 수 있습니다.

## 사이트 운영

편집국은 사이트의 일부를 바꾸거나 중단할 수 있고, 기사의 댓글을 닫을 수 있습니다. 이 약관도 바뀔 수 있으며, 마지막으로 바뀐 날짜는 이 페이지 아래에 표시됩니다.

## 개인정보

사이트가 개인정보를 다루는 방법은 개인정보처리방침에 있습니다.`;

const aboutEn = `This newspaper publishes in two editions, English and Korean, and each article links to its translation when there is one.

## Comments and the standards board

Readers who log in can comment on articles, reply and react. A standards board of moderators applies the published Standards Board Policy, cites the clause behind every decision, and hears appeals. Its decisions are counted on the transparency page.

## Contact

To reach the newsroom about an article, a correction or your personal information, write to the newsroom. (An admin of this site replaces this paragraph with the newsroom's e-mail and postal address.)

## The software

The site runs on Byline, an open-source newspaper platform.`;

const aboutKo = `이 신문은 영문판과 한국어판 두 가지로 발행하며, 번역본이 있는 기사에는 번역본 링크가 있습니다.

## 댓글과 심의위원회

로그인한 독자는 기사에 댓글을 달고, 답글을 쓰고, 공감할 수 있습니다. 심의위원회는 공개된 운영 원칙을 적용하고, 모든 결정에 근거 조항을 밝히며, 이의 제기를 심사합니다. 결정 건수는 투명성 보고 페이지에 공개합니다.

## 연락처

기사, 정정 요청, 개인정보에 관한 문의는 편집국으로 보내 주십시오. (이 사이트의 관리자가 이 문단을 편집국의 이메일 주소와 우편 주소로 바꿉니다.)

## 소프트웨어

이 사이트는 오픈 소스 신문 플랫폼 Byline으로 운영합니다.`;

const pages: [string, string, string][] = [
  ['privacy', 'en', privacyEn],
  ['privacy', 'ko', privacyKo],
  ['terms', 'en', termsEn],
  ['terms', 'ko', termsKo],
  ['about', 'en', aboutEn],
  ['about', 'ko', aboutKo],
];
