import type { ErrorDefinitions } from '../http/app-error.js';
import { formatNewsroomDateTime } from '../views/dates.js';

/**
 * The error codes the moderation feature throws: each code's HTTP status and its title and message in
 * both editions. They join the site's table at start-up (src/features.ts).
 */
export const moderationErrors = {
  COMMENT_BANNED_WORD: {
    status: 422,
    title: { en: 'Word not allowed', ko: '허용되지 않는 단어' },
    message: {
      en: 'The comment uses a word this site does not publish. Your text is kept below; change it and try again.',
      ko: '이 사이트에서 게시하지 않는 단어가 들어 있습니다. 작성한 글은 아래에 그대로 있으니 고쳐서 다시 시도해 주세요.',
    },
    describe: ({ word }, { t }) => (word !== undefined ? t.commentBannedWord(word) : undefined),
  },
  COMMENTER_SUSPENDED: {
    status: 403,
    title: { en: 'Commenting suspended', ko: '댓글 작성 정지' },
    message: {
      en: 'The standards board has suspended you from commenting for now.',
      ko: '심의위원회가 현재 이 계정의 댓글 작성을 정지했습니다.',
    },
    describe: ({ until }, { t, site, language }) =>
      until === undefined
        ? undefined
        : t.commenterSuspendedUntil(
            formatNewsroomDateTime(new Date(until), site.timeZone, language),
          ),
  },
  COMMENTER_BANNED: {
    status: 403,
    title: { en: 'Commenting barred', ko: '댓글 작성 금지' },
    message: {
      en: 'The standards board has barred this account from commenting. You can still read and appeal decisions.',
      ko: '심의위원회가 이 계정의 댓글 작성을 금지했습니다. 기사 읽기와 결정에 대한 이의 제기는 할 수 있습니다.',
    },
  },
  MODERATION_STALE: {
    status: 409,
    title: { en: 'Already decided', ko: '이미 결정된 항목' },
    message: {
      en: 'Someone decided this item after you opened it, so your decision was not applied. Look at it again.',
      ko: '이 항목을 연 뒤에 다른 사람이 결정을 내려 내 결정은 반영되지 않았습니다. 다시 확인해 주세요.',
    },
  },
  MODERATION_CLAIMED: {
    status: 409,
    title: { en: 'Being reviewed', ko: '검토 중인 항목' },
    message: {
      en: 'Another moderator is reviewing this item. It was left to them; take the next one.',
      ko: '다른 심의위원이 이 항목을 검토하고 있습니다. 다음 항목을 맡아 주세요.',
    },
  },
  MODERATION_NOT_APPLICABLE: {
    status: 409,
    title: { en: 'Decision does not apply', ko: '적용할 수 없는 결정' },
    message: {
      en: 'That decision does not apply to this item as it stands now.',
      ko: '이 항목의 현재 상태에는 그 결정을 내릴 수 없습니다.',
    },
  },
  MODERATION_CLAUSE_REQUIRED: {
    status: 422,
    title: { en: 'Clause required', ko: '조항 인용 필요' },
    message: {
      en: 'Cite at least one clause of the Standards Board Policy in force for this decision.',
      ko: '이 결정에는 시행 중인 심의위원회 정책 조항을 하나 이상 인용해야 합니다.',
    },
  },
  MODERATION_NOTE_INVALID: {
    status: 422,
    title: { en: 'Note not accepted', ko: '메모를 받을 수 없음' },
    message: {
      en: 'The note to the reader is too long or contains characters that cannot be shown (at most 500).',
      ko: '독자에게 남기는 메모가 너무 길거나 표시할 수 없는 문자가 들어 있습니다(최대 500자).',
    },
  },
  MODERATION_SAME_MODERATOR: {
    status: 403,
    title: { en: 'Another moderator decides', ko: '다른 심의위원이 판단' },
    message: {
      en: 'An appeal is decided by a moderator other than the one who made the decision.',
      ko: '이의 제기는 처음 결정한 심의위원이 아닌 다른 심의위원이 판단합니다.',
    },
  },
  MODERATION_OWN_COMMENT: {
    status: 403,
    title: { en: 'Your own comment', ko: '내가 쓴 댓글' },
    message: {
      en: 'You wrote this comment, so another member of the standards board decides on it and on its appeal.',
      ko: '내가 쓴 댓글입니다. 이 댓글과 그 이의 제기는 다른 심의위원이 판단합니다.',
    },
  },
  MODERATION_NOTHING_SELECTED: {
    status: 422,
    title: { en: 'Nothing selected', ko: '선택한 댓글 없음' },
    message: {
      en: 'Tick at least one comment in the list for a decision on the selection.',
      ko: '선택한 댓글에 대해 결정하려면 목록에서 댓글을 하나 이상 고르세요.',
    },
  },
  SANCTION_NOT_ALLOWED: {
    status: 409,
    title: { en: 'Sanction not allowed', ko: '제재할 수 없음' },
    message: {
      en: 'That sanction does not apply to this account (staff accounts are managed by an admin).',
      ko: '이 계정에는 그 제재를 적용할 수 없습니다(직원 계정은 관리자가 관리합니다).',
    },
  },
  APPEAL_NOT_ALLOWED: {
    status: 409,
    title: { en: 'Appeal not possible', ko: '이의 제기 불가' },
    message: {
      en: 'Only a comment the standards board hid can be appealed, by its author.',
      ko: '심의위원회가 숨긴 댓글만 작성자 본인이 이의를 제기할 수 있습니다.',
    },
  },
  APPEAL_EXISTS: {
    status: 409,
    title: { en: 'Already appealed', ko: '이미 이의 제기함' },
    message: {
      en: 'This decision has already been appealed. Each decision can be appealed once.',
      ko: '이 결정에는 이미 이의를 제기했습니다. 결정마다 한 번만 제기할 수 있습니다.',
    },
  },
  APPEAL_INVALID: {
    status: 422,
    title: { en: 'Appeal not accepted', ko: '이의 제기를 받을 수 없음' },
    message: {
      en: 'Say why the decision should change, in at most 500 characters. Your text is kept below.',
      ko: '결정을 바꿔야 하는 이유를 500자 이내로 적어 주세요. 작성한 글은 아래에 그대로 있습니다.',
    },
  },
  WORD_LIST_INVALID: {
    status: 422,
    title: { en: 'Word list not saved', ko: '단어 목록 저장 안 됨' },
    message: {
      en: 'A word list entry is empty, too long or contains control characters. Nothing was saved.',
      ko: '단어 목록에 비어 있거나 너무 길거나 제어 문자가 든 항목이 있습니다. 저장하지 않았습니다.',
    },
  },
} as const satisfies ErrorDefinitions;

type ModerationErrorCodes = typeof moderationErrors;

declare module '../http/app-error.js' {
  interface FeatureErrors extends ModerationErrorCodes {}
}
