import type { Language } from '../lib/language.js';

/**
 * The Standards Board Policy that governs comments. It becomes versioned data, edited by an
 * admin, with the comments issue; until then this is its first published version. Clause
 * numbers are stable: moderation decisions will cite them.
 */

export type PolicyClause = { number: string; title: string; text: string };
export type PolicyDocument = {
  version: string;
  effective: Date;
  intro: string;
  clauses: PolicyClause[];
};

const effective = new Date('2026-11-30T00:00:00+09:00');

const en: PolicyDocument = {
  version: '1',
  effective,
  intro:
    'Comments are a place for readers to discuss what we publish. The Standards Board, our moderators, applies the clauses below to every comment, and every decision it takes cites the clause it rests on.',
  clauses: [
    {
      number: '1',
      title: 'Stay on the article',
      text: 'Comments discuss the article they appear under. Unrelated advertising, chain messages and repeated posts are removed.',
    },
    {
      number: '2',
      title: 'No abuse',
      text: 'Insults, threats, harassment and slurs aimed at any person or group, including other readers and the people in the news, are not allowed.',
    },
    {
      number: '3',
      title: 'No hate or discrimination',
      text: 'Content that demeans people for their nationality, ethnicity, religion, sex, gender, sexual orientation, disability, age or region of origin is removed.',
    },
    {
      number: '4',
      title: 'Respect privacy',
      text: "Do not publish anyone's personal information, such as a phone number, address, identification number or private photograph.",
    },
    {
      number: '5',
      title: 'Obey the law',
      text: 'Defamation, incitement to crime, infringement of copyright and content unlawful under the laws of the Republic of Korea are removed and may be reported to the authorities.',
    },
    {
      number: '6',
      title: 'No false identity',
      text: 'Do not impersonate another person, a journalist of this newspaper or a public official.',
    },
    {
      number: '7',
      title: 'Length and form',
      text: 'A comment is plain text of at most 250 visible characters. Links are allowed; they are shown as plain links.',
    },
    {
      number: '8',
      title: 'Decisions and appeals',
      text: 'A hidden comment is shown to its author with the clause that was applied. The author may appeal once; a different member of the Standards Board decides the appeal.',
    },
  ],
};

const ko: PolicyDocument = {
  version: '1',
  effective,
  intro:
    '댓글은 독자가 기사에 대해 의견을 나누는 공간입니다. 독자위원회(모더레이터)는 모든 댓글에 아래 조항을 적용하며, 모든 결정에는 근거가 된 조항을 밝힙니다.',
  clauses: [
    {
      number: '1',
      title: '기사와 관련된 내용',
      text: '댓글은 해당 기사에 관한 의견이어야 합니다. 관련 없는 광고, 연쇄 메시지, 같은 내용의 반복 게시는 삭제됩니다.',
    },
    {
      number: '2',
      title: '욕설·모욕 금지',
      text: '다른 독자나 기사 속 인물을 포함해 누구에게든 모욕, 위협, 괴롭힘, 비하 표현을 해서는 안 됩니다.',
    },
    {
      number: '3',
      title: '혐오·차별 금지',
      text: '국적, 민족, 종교, 성별, 성 정체성, 성적 지향, 장애, 나이, 출신 지역을 이유로 사람을 비하하는 내용은 삭제됩니다.',
    },
    {
      number: '4',
      title: '사생활 보호',
      text: '전화번호, 주소, 주민등록번호, 사적인 사진 등 타인의 개인정보를 게시해서는 안 됩니다.',
    },
    {
      number: '5',
      title: '법령 준수',
      text: '명예훼손, 범죄 선동, 저작권 침해 등 대한민국 법령에 어긋나는 내용은 삭제되며 관계 기관에 신고될 수 있습니다.',
    },
    {
      number: '6',
      title: '사칭 금지',
      text: '다른 사람, 본지 기자, 공무원을 사칭해서는 안 됩니다.',
    },
    {
      number: '7',
      title: '분량과 형식',
      text: '댓글은 보이는 글자 기준 250자 이내의 일반 텍스트입니다. 링크는 허용되며 일반 링크로 표시됩니다.',
    },
    {
      number: '8',
      title: '결정과 이의 제기',
      text: '숨김 처리된 댓글은 적용된 조항과 함께 작성자에게 표시됩니다. 작성자는 한 번 이의를 제기할 수 있으며, 이의는 다른 독자위원이 판단합니다.',
    },
  ],
};

export function currentPolicy(language: Language): PolicyDocument {
  return language === 'ko' ? ko : en;
}
