import type { Widen } from '../views/i18n.js';

/**
 * The policy feature's interface strings, in both editions. The English object's shape is the
 * type: the Korean one must have every key, so a missing string fails the build. They join the
 * site's catalogue at start-up (src/features.ts).
 */
const en = {
  policyVersion: (version: string, date: string) => `Version ${version}, in force since ${date}`,
  policyVersionTitle: (version: string) => `Standards Board Policy, version ${version}`,
  policyClauseNumber: (number: string) => `Clause ${number}`,
  policyIsCurrent: 'This is the version in force.',
  policyIsOld: 'This version is no longer in force.',
  policyReadCurrent: 'Read the version in force',
  policyHistory: 'History',
  policyHistoryEntry: (version: string, date: string) => `Version ${version}, ${date}`,
  policyHistoryCurrent: 'in force',
  policyHistoryFirst: 'First version.',
  policyAcceptPrompt: 'Before you write comments, read the policy above and accept it.',
  policyAccept: (version: string) => `I accept version ${version}`,
  policyAccepted: (version: string) => `You have accepted version ${version}.`,
  policyEditTitle: 'Edit the Standards Board Policy',
  policyEditHelp:
    "Publishing makes a new version, in force at once; readers accept it again before their next comment. A clause keeps its number while it stays in the policy. A removed clause's number is never used again, because moderation decisions cite it.",
  policyEditBasedOn: (version: string) => `You are editing version ${version}.`,
  policyIntroLabel: 'Introduction',
  policyNoteLabel: 'What changed in this version',
  policyNoteHelp: 'A short note shown in the history, in both languages.',
  policyInEnglish: 'English',
  policyInKorean: 'Korean',
  policyClauseTitleLabel: 'Title',
  policyClauseTextLabel: 'Text',
  policyNewClause: (number: string) => `New clause ${number}`,
  policyNewClauseHelp: 'Leave every field empty to add nothing.',
  policyRemoveClause: 'Remove this clause',
  policyClauseNotReportable:
    'No comment can break this clause (it is about the standards board itself), so reports cannot cite it',
  policyPublish: 'Publish the new version',
  policyProblem: {
    no_clauses: 'Keep at least one clause.',
    intro_empty: 'Write the introduction in both languages.',
    intro_too_long: (max: number) => `The introduction is at most ${max} characters.`,
    note_one_language: 'Write the note in both languages, or leave both empty.',
    note_too_long: (max: number) => `The note is at most ${max} characters.`,
    clause_empty: (number: string) =>
      `Clause ${number}: write its title and text in both languages.`,
    clause_too_long: (number: string, max: number) =>
      `Clause ${number}: each title and text is at most ${max} characters.`,
    bad_number: (number: string) => `Clause number ${number} is not a whole number from 1.`,
    duplicate_number: (number: string) => `Clause number ${number} appears twice.`,
    reused_number: (number: string) =>
      `Clause number ${number} was used by a removed clause and cannot be used again.`,
  },
  policyChangedWhileEditing:
    'Another version was published while you were editing, and nothing was saved. Keep a copy of your changes, reload this page and make them again on the new version.',
} as const;

export type PolicyMessages = Widen<typeof en>;

const ko: PolicyMessages = {
  policyVersion: (version: string, date: string) => `제${version}판, ${date} 시행`,
  policyVersionTitle: (version: string) => `심의위원회 운영 원칙 제${version}판`,
  policyClauseNumber: (number: string) => `제${number}조`,
  policyIsCurrent: '현재 시행 중인 판입니다.',
  policyIsOld: '더 이상 시행되지 않는 판입니다.',
  policyReadCurrent: '현재 시행 중인 원칙 보기',
  policyHistory: '개정 이력',
  policyHistoryEntry: (version: string, date: string) => `제${version}판, ${date}`,
  policyHistoryCurrent: '시행 중',
  policyHistoryFirst: '최초 제정.',
  policyAcceptPrompt: '댓글을 쓰기 전에 위 원칙을 읽고 동의해 주세요.',
  policyAccept: (version: string) => `제${version}판에 동의합니다`,
  policyAccepted: (version: string) => `제${version}판에 동의하셨습니다.`,
  policyEditTitle: '심의위원회 운영 원칙 편집',
  policyEditHelp:
    '게시하면 새 판이 만들어져 바로 시행되며, 독자는 다음 댓글을 쓰기 전에 다시 동의합니다. 조항은 원칙에 남아 있는 동안 번호를 유지합니다. 심의 결정이 조항 번호를 인용하므로 삭제한 조항의 번호는 다시 쓰지 않습니다.',
  policyEditBasedOn: (version: string) => `제${version}판을 편집하고 있습니다.`,
  policyIntroLabel: '머리말',
  policyNoteLabel: '이번 판에서 바뀐 내용',
  policyNoteHelp: '개정 이력에 표시되는 짧은 설명입니다. 두 언어로 써 주세요.',
  policyInEnglish: '영어',
  policyInKorean: '한국어',
  policyClauseTitleLabel: '제목',
  policyClauseTextLabel: '내용',
  policyNewClause: (number: string) => `새 조항 (제${number}조)`,
  policyNewClauseHelp: '모든 칸을 비워 두면 추가하지 않습니다.',
  policyRemoveClause: '이 조항 삭제',
  policyClauseNotReportable:
    '댓글이 어길 수 없는 조항 (심의위원회 자체에 관한 조항): 신고할 때 고를 수 없습니다',
  policyPublish: '새 판 게시',
  policyProblem: {
    no_clauses: '조항을 하나 이상 남겨 두세요.',
    intro_empty: '머리말을 두 언어로 모두 써 주세요.',
    intro_too_long: (max: number) => `머리말은 ${max}자까지 쓸 수 있습니다.`,
    note_one_language: '바뀐 내용은 두 언어로 모두 쓰거나 모두 비워 두세요.',
    note_too_long: (max: number) => `바뀐 내용은 ${max}자까지 쓸 수 있습니다.`,
    clause_empty: (number: string) => `제${number}조: 제목과 내용을 두 언어로 모두 써 주세요.`,
    clause_too_long: (number: string, max: number) =>
      `제${number}조: 제목과 내용은 각각 ${max}자까지 쓸 수 있습니다.`,
    bad_number: (number: string) => `조항 번호 ${number}은(는) 1 이상의 정수가 아닙니다.`,
    duplicate_number: (number: string) => `조항 번호 ${number}이(가) 두 번 나옵니다.`,
    reused_number: (number: string) =>
      `조항 번호 ${number}은(는) 삭제된 조항이 쓰던 번호라 다시 쓸 수 없습니다.`,
  },
  policyChangedWhileEditing:
    '편집하는 동안 다른 판이 게시되어 아무것도 저장하지 않았습니다. 바꾼 내용을 따로 보관한 뒤 이 페이지를 새로 고쳐 새 판에 다시 적용해 주세요.',
};

export const policyStrings = { en, ko };

declare module '../views/i18n.js' {
  interface FeatureMessages extends PolicyMessages {}
}
