import type { Widen } from '../views/i18n.js';

/**
 * The moderation feature's interface strings, in both editions. The English object's shape is the
 * type: the Korean one must have every key, so a missing string fails the build. They join the
 * site's catalogue at start-up (src/features.ts).
 */
const en = {
  wordLists: {
    title: 'Word lists',
    intro: 'Every new or edited comment is checked against these two lists before it is published.',
    bannedLabel: 'Banned words',
    bannedHelp:
      'A comment containing one of these is refused; the reader keeps their text and may change it.',
    suspectLabel: 'Suspect words',
    suspectHelp: 'A comment containing one of these waits for the standards board to review it.',
    onePerLine: (max: number) =>
      `One word or phrase per line, at most ${max} characters. Blank lines and repeats are dropped.`,
    rulesTitle: 'How words are matched',
    ruleCase: 'Capital and small letters count as the same, however the text was typed.',
    ruleHangul:
      'An entry containing Hangul matches anywhere in a comment, particles and endings included: 바보 also catches 바보야.',
    ruleWhole:
      'Any other entry matches whole words only: "ass" does not catch "class". Hangul right after it is read as a particle: "spam" catches "spam이다".',
    counts: (banned: number, suspect: number) =>
      `Now listed: ${banned} banned, ${suspect} suspect.`,
    save: 'Save both lists',
    saved: 'The word lists were saved. They apply to the next comment.',
    listName: { banned: 'Banned words', suspect: 'Suspect words' },
    problemTooLong: (list: string, line: number, max: number) =>
      `${list}, line ${line}: an entry is at most ${max} characters. Nothing was saved.`,
    problemControl: (list: string, line: number) =>
      `${list}, line ${line}: the entry contains a tab or a control character. Nothing was saved.`,
    problemBothLists: (word: string) =>
      `“${word}” is in both lists; keep it in one. Nothing was saved.`,
  },
  transparency: {
    title: 'Transparency report',
    intro:
      "What the standards board did with readers' comments, month by month. Every figure is counted from the board's decisions log, which records each decision as it is taken and is never altered afterwards.",
    policyBefore: 'Decisions rest on the clauses of the',
    policyLink: 'Standards Board Policy',
    policyAfter: '.',
    window: (months: string, timeZone: string) =>
      `Of the last ${months} months, those with any entry in the log are shown, newest first. A month runs from midnight on the first in the newsroom's time zone (${timeZone}).`,
    empty: 'No decisions were recorded in this period.',
    monthHeading: (year: number, month: number) =>
      `${
        [
          'January',
          'February',
          'March',
          'April',
          'May',
          'June',
          'July',
          'August',
          'September',
          'October',
          'November',
          'December',
        ][month - 1] ?? String(month)
      } ${String(year)}`,
    figuresCaption: (month: string) => `Comments, appeals and sanctions, ${month}`,
    figureHeader: 'Figure',
    countHeader: 'Number',
    groups: { comments: 'Comments', appeals: 'Appeals', sanctions: 'Sanctions on readers' },
    figures: {
      published: 'Comments published',
      held: 'Held for review',
      hidden: 'Hidden by moderators',
      restored: 'Restored',
      deleted: 'Deleted by their authors',
      reported: 'Reports received',
      appealsFiled: 'Appeals filed',
      appealsUpheld: 'Decision upheld on appeal',
      appealsGranted: 'Comment restored on appeal',
      warnings: 'Warnings',
      suspensions: 'Suspensions',
      bans: 'Bans',
    },
    definitionsHeading: 'What each figure counts',
    definitions: {
      published:
        'Comments that appeared as soon as they were posted, and held comments the board then approved.',
      held: 'Comments the screening rules held back until a member of the board had read them.',
      hidden:
        'Comments the board hid, each decision citing the clauses of the policy the comment broke.',
      restored:
        'Hidden comments put back, by the board itself or because their author won an appeal.',
      deleted: 'Comments their own authors deleted.',
      reported: 'Reports from readers that a comment breaks the policy.',
      appealsFiled: 'Appeals by authors against the hiding of their comment.',
      appealsUpheld: 'Appeals in which a second member of the board let the decision stand.',
      appealsGranted: 'Appeals in which a second member of the board restored the comment.',
      warnings: 'Warnings the board gave readers.',
      suspensions: "Suspensions of a reader's commenting for a time.",
      bans: "Permanent bans on a reader's commenting.",
    },
    clausesCaption: (month: string) => `Comments hidden, by clause of the policy, ${month}`,
    clauseHeader: 'Clause',
    versionHeader: 'Policy version',
    hiddenHeader: 'Comments hidden',
    clauseTitle: (number: string, title: string) => `Clause ${number}: ${title}`,
    clauseUntitled: (number: string) => `Clause ${number}`,
    version: (version: string) => `Version ${version}`,
    noVersion: 'None cited',
    clausesNote:
      'A comment hidden under two clauses counts under each, so this table can add up to more than the number hidden.',
  },
  commenterSuspendedUntil: (until: string) =>
    `The standards board has suspended you from commenting until ${until}.`,
  commentBannedWord: (word: string) =>
    `The comment uses “${word}”, which this site does not publish. Your text is kept below; change it and try again.`,
} as const;

export type ModerationMessages = Widen<typeof en>;

const ko: ModerationMessages = {
  wordLists: {
    title: '단어 목록',
    intro: '새로 쓰거나 고친 댓글은 게시되기 전에 모두 이 두 목록과 대조합니다.',
    bannedLabel: '금지어',
    bannedHelp:
      '이 단어가 든 댓글은 게시하지 않습니다. 독자의 글은 그대로 남아 고쳐 쓸 수 있습니다.',
    suspectLabel: '검토 대상어',
    suspectHelp: '이 단어가 든 댓글은 심의위원회가 검토한 뒤 게시합니다.',
    onePerLine: (max: number) =>
      `한 줄에 단어나 구절 하나씩, ${max}자 이내로 쓰세요. 빈 줄과 중복은 빠집니다.`,
    rulesTitle: '단어를 찾는 방식',
    ruleCase: '대문자와 소문자는 입력 방식과 관계없이 같은 글자로 봅니다.',
    ruleHangul:
      '한글이 든 항목은 조사와 어미가 붙어도 댓글 어디에서나 찾습니다. 예: 바보는 바보야도 잡아냅니다.',
    ruleWhole:
      '그 밖의 항목은 온전한 단어일 때만 찾습니다. 예: ass는 class를 잡아내지 않습니다. 바로 뒤에 붙은 한글은 조사로 보아 spam은 spam이다를 잡아냅니다.',
    counts: (banned: number, suspect: number) =>
      `현재 금지어 ${banned}개, 검토 대상어 ${suspect}개가 있습니다.`,
    save: '두 목록 저장',
    saved: '단어 목록을 저장했습니다. 다음 댓글부터 적용됩니다.',
    listName: { banned: '금지어', suspect: '검토 대상어' },
    problemTooLong: (list: string, line: number, max: number) =>
      `${list} ${line}번째 줄: 항목은 ${max}자까지 쓸 수 있습니다. 저장하지 않았습니다.`,
    problemControl: (list: string, line: number) =>
      `${list} ${line}번째 줄: 항목에 탭이나 제어 문자가 들어 있습니다. 저장하지 않았습니다.`,
    problemBothLists: (word: string) =>
      `‘${word}’이(가) 두 목록에 모두 있습니다. 한 목록에만 두세요. 저장하지 않았습니다.`,
  },
  transparency: {
    title: '투명성 보고서',
    intro:
      '심의위원회가 독자 댓글에 대해 한 일을 월별로 공개합니다. 모든 수치는 심의위원회의 결정 기록에서 집계합니다. 이 기록에는 모든 결정이 내려진 그대로 남으며, 나중에 고칠 수 없습니다.',
    policyBefore: '모든 결정은',
    policyLink: '심의위원회 운영 원칙',
    policyAfter: '의 조항에 근거합니다.',
    window: (months: string, timeZone: string) =>
      `최근 ${months}개월 가운데 기록이 있는 달을 최신순으로 보여 줍니다. 한 달은 편집국 시간대(${timeZone}) 기준 1일 0시에 시작합니다.`,
    empty: '이 기간에 기록된 결정이 없습니다.',
    monthHeading: (year: number, month: number) => `${String(year)}년 ${String(month)}월`,
    figuresCaption: (month: string) => `${month} 댓글, 이의 제기, 제재 현황`,
    figureHeader: '항목',
    countHeader: '건수',
    groups: { comments: '댓글', appeals: '이의 제기', sanctions: '독자 제재' },
    figures: {
      published: '게시된 댓글',
      held: '검토 보류',
      hidden: '심의위원회 숨김',
      restored: '복구',
      deleted: '작성자 삭제',
      reported: '접수된 신고',
      appealsFiled: '접수된 이의 제기',
      appealsUpheld: '이의 기각(결정 유지)',
      appealsGranted: '이의 인용(댓글 복구)',
      warnings: '경고',
      suspensions: '댓글 작성 정지',
      bans: '댓글 작성 금지',
    },
    definitionsHeading: '각 수치가 세는 것',
    definitions: {
      published:
        '작성 즉시 게시된 댓글과, 검토를 기다리던 댓글 가운데 심의위원회가 승인해 게시한 댓글입니다.',
      held: '자동 점검 규칙에 따라 심의위원이 읽을 때까지 게시가 보류된 댓글입니다.',
      hidden: '심의위원회가 운영 원칙의 위반 조항을 밝혀 숨김 처리한 댓글입니다.',
      restored:
        '숨김 처리되었다가 심의위원회가 다시 게시했거나 작성자의 이의 제기가 받아들여져 복구된 댓글입니다.',
      deleted: '작성자 본인이 삭제한 댓글입니다.',
      reported: '댓글이 운영 원칙에 어긋난다며 독자가 보낸 신고입니다.',
      appealsFiled: '숨김 처리된 댓글의 작성자가 결정에 대해 제기한 이의입니다.',
      appealsUpheld: '다른 심의위원이 검토한 뒤 숨김 결정을 유지한 이의 제기입니다.',
      appealsGranted: '다른 심의위원이 검토한 뒤 댓글을 복구한 이의 제기입니다.',
      warnings: '심의위원회가 독자에게 준 경고입니다.',
      suspensions: '독자의 댓글 작성을 일정 기간 정지한 조치입니다.',
      bans: '독자의 댓글 작성을 영구히 금지한 조치입니다.',
    },
    clausesCaption: (month: string) => `${month} 운영 원칙 조항별 숨김 댓글`,
    clauseHeader: '조항',
    versionHeader: '운영 원칙 판',
    hiddenHeader: '숨긴 댓글',
    clauseTitle: (number: string, title: string) => `제${number}조 ${title}`,
    clauseUntitled: (number: string) => `제${number}조`,
    version: (version: string) => `제${version}판`,
    noVersion: '밝히지 않음',
    clausesNote:
      '두 조항을 근거로 숨긴 댓글은 두 조항에 모두 세므로, 이 표의 합계는 숨긴 댓글 수보다 클 수 있습니다.',
  },
  commenterSuspendedUntil: (until: string) => `심의위원회가 ${until}까지 댓글 작성을 정지했습니다.`,
  commentBannedWord: (word: string) =>
    `이 사이트에서 게시하지 않는 단어 “${word}”가 들어 있습니다. 작성한 글은 아래에 그대로 있으니 고쳐서 다시 시도해 주세요.`,
};

export const moderationStrings = { en, ko };

declare module '../views/i18n.js' {
  interface FeatureMessages extends ModerationMessages {}
}
