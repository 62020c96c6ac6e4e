import type { ErrorDefinitions } from '../http/app-error.js';

/**
 * The error codes the comments feature throws: each code's HTTP status and its title and message in
 * both editions. They join the site's table at start-up (src/features.ts).
 */
export const commentsErrors = {
  COMMENT_EMPTY: {
    status: 422,
    title: { en: 'The comment is empty', ko: '댓글 내용이 없습니다' },
    message: {
      en: 'Write something before posting. A comment cannot be empty or only spaces.',
      ko: '내용을 입력한 뒤 등록해 주세요. 빈 댓글이나 공백만 있는 댓글은 등록할 수 없습니다.',
    },
  },
  COMMENT_TOO_LONG: {
    status: 422,
    title: { en: 'The comment is too long', ko: '댓글이 너무 깁니다' },
    message: {
      en: 'The comment is longer than this site allows.',
      ko: '댓글이 이 사이트에서 허용하는 길이보다 깁니다.',
    },
    describe: ({ count, limit }, { t }) =>
      count !== undefined && limit !== undefined ? t.commentTooLong(count, limit) : undefined,
  },
  COMMENT_INVALID_TEXT: {
    status: 422,
    title: { en: 'The comment cannot be accepted', ko: '댓글을 받을 수 없습니다' },
    message: {
      en: 'The comment contains control characters or broken text that cannot be shown. Remove them and try again.',
      ko: '댓글에 표시할 수 없는 제어 문자나 깨진 문자가 있습니다. 지운 뒤 다시 시도해 주세요.',
    },
  },
  COMMENT_DIRECTION_CONTROL: {
    status: 422,
    title: { en: 'Hidden direction marks', ko: '숨은 방향 제어 문자' },
    message: {
      en: 'The text contains invisible marks that change the direction of writing (they can make a link look like another address). Remove them and try again; your text is kept.',
      ko: '글의 방향을 바꾸는 보이지 않는 문자가 들어 있습니다(링크 주소를 다른 주소처럼 보이게 할 수 있습니다). 지운 뒤 다시 시도해 주세요. 쓴 내용은 그대로 남아 있습니다.',
    },
  },
  COMMENT_CHARACTER_TOO_LONG: {
    status: 422,
    title: { en: 'A character is too complex', ko: '지나치게 복잡한 글자' },
    message: {
      en: 'One character of the text is built from too many parts (stacked accents, joined symbols or a long run of jamo). Remove it and try again; your text is kept.',
      ko: '글자 하나가 너무 많은 부분(겹친 기호, 이어 붙인 그림 문자, 길게 이어진 자모)으로 이루어져 있습니다. 그 글자를 지운 뒤 다시 시도해 주세요. 쓴 내용은 그대로 남아 있습니다.',
    },
  },
  COMMENT_REPLY_NOT_ALLOWED: {
    status: 422,
    title: { en: 'Replies cannot go deeper', ko: '더 이상 답글을 달 수 없습니다' },
    message: {
      en: 'Replies to replies are not allowed here. Reply to the first comment instead.',
      ko: '답글에는 답글을 달 수 없습니다. 원래 댓글에 답글을 달아 주세요.',
    },
  },
  COMMENT_OWN_VOTE: {
    status: 422,
    title: { en: 'This is your own comment', ko: '내가 쓴 댓글입니다' },
    message: {
      en: 'You cannot react to your own comment.',
      ko: '내가 쓴 댓글에는 공감이나 비공감을 할 수 없습니다.',
    },
  },
  COMMENT_REPORT_INVALID: {
    status: 422,
    title: { en: 'The report is not complete', ko: '신고 내용이 부족합니다' },
    message: {
      en: 'Choose the clause of the Standards Board Policy the comment breaks; a note may be at most 300 characters.',
      ko: '이 댓글이 어긋나는 심의위원회 운영 원칙의 조항을 골라 주세요. 메모는 300자까지 쓸 수 있습니다.',
    },
  },
  COMMENT_REPORT_CLAUSE: {
    status: 422,
    title: { en: 'Choose another clause', ko: '다른 조항을 골라 주세요' },
    message: {
      en: 'That clause is about how the standards board works, so a comment cannot break it. Choose the clause the comment breaks.',
      ko: '그 조항은 심의위원회의 운영 방식에 관한 것이라 댓글이 어길 수 없습니다. 댓글이 어긋나는 조항을 골라 주세요.',
    },
  },
  COMMENT_DUPLICATE: {
    status: 409,
    title: { en: 'You already wrote this', ko: '이미 쓴 댓글입니다' },
    message: {
      en: 'You posted the same text a short while ago. Write something new.',
      ko: '조금 전에 같은 내용을 등록했습니다. 새로운 내용을 써 주세요.',
    },
  },
  COMMENT_UNAVAILABLE: {
    status: 409,
    title: { en: 'This comment is not available', ko: '볼 수 없는 댓글입니다' },
    message: {
      en: 'This comment was deleted or hidden, so it cannot be answered or rated.',
      ko: '삭제되었거나 숨김 처리된 댓글이어서 답글이나 공감을 할 수 없습니다.',
    },
  },
  COMMENT_EDIT_CLOSED: {
    status: 409,
    title: { en: 'This comment can no longer be edited', ko: '더 이상 수정할 수 없습니다' },
    message: {
      en: 'The time for editing this comment has passed. You can still delete it.',
      ko: '이 댓글을 수정할 수 있는 시간이 지났습니다. 삭제는 할 수 있습니다.',
    },
  },
  COMMENT_ALREADY_REPORTED: {
    status: 409,
    title: { en: 'You already reported this comment', ko: '이미 신고한 댓글입니다' },
    message: {
      en: 'The standards board already has your report on this comment.',
      ko: '이 댓글에 대한 신고가 이미 심의위원회에 접수되어 있습니다.',
    },
  },
  COMMENTS_CLOSED: {
    status: 409,
    title: { en: 'Comments are closed', ko: '댓글이 닫혔습니다' },
    message: {
      en: 'Comments on this article are closed. Nothing was posted.',
      ko: '이 기사의 댓글은 닫혔습니다. 등록된 내용은 없습니다.',
    },
  },
  POLICY_NOT_ACCEPTED: {
    status: 409,
    title: { en: 'Please accept the policy first', ko: '먼저 운영 원칙에 동의해 주세요' },
    message: {
      en: 'Before your first comment, read the Standards Board Policy and tick the box to accept it. Your text is kept below.',
      ko: '첫 댓글을 쓰기 전에 심의위원회 운영 원칙을 읽고 동의란에 표시해 주세요. 작성한 내용은 아래에 그대로 있습니다.',
    },
  },
  COMMENT_TOO_SOON: {
    status: 429,
    title: { en: 'Please wait a moment', ko: '잠시 후 다시 시도해 주세요' },
    message: {
      en: 'You are commenting too quickly.',
      ko: '댓글을 너무 빨리 쓰고 있습니다.',
    },
  },
  COMMENT_DAILY_LIMIT: {
    status: 429,
    title: { en: 'Daily limit reached', ko: '하루 한도에 도달했습니다' },
    message: {
      en: 'You have written as many comments on this article as a day allows.',
      ko: '이 기사에 하루 동안 쓸 수 있는 댓글 수를 모두 썼습니다.',
    },
  },
  VOTE_DAILY_LIMIT: {
    status: 429,
    title: { en: 'Daily limit reached', ko: '하루 한도에 도달했습니다' },
    message: {
      en: 'You have reacted to as many comments as a day allows.',
      ko: '하루 동안 할 수 있는 공감·비공감 수를 모두 썼습니다.',
    },
  },
  THREAD_HOURS_INVALID: {
    status: 422,
    title: { en: 'Hours not accepted', ko: '시간을 받을 수 없음' },
    message: {
      en: 'Close after: give a whole number of hours from 0 to 87600 (0 never closes), or leave it empty to inherit. Nothing was saved.',
      ko: '닫힘 시각에는 0부터 87600까지의 정수(0은 닫지 않음)를 넣거나, 상위 설정을 따르려면 비워 두세요. 저장하지 않았습니다.',
    },
  },
  THREAD_ADDRESS_TOO_LONG: {
    status: 422,
    title: { en: 'Address too long', ko: '주소가 너무 김' },
    message: {
      en: 'That address is longer than 2,000 characters, so it cannot be an article’s. Paste the article’s path only.',
      ko: '주소가 2,000자를 넘어 기사 주소일 수 없습니다. 기사의 경로만 붙여 넣어 주세요.',
    },
  },
} as const satisfies ErrorDefinitions;

type CommentsErrorCodes = typeof commentsErrors;

declare module '../http/app-error.js' {
  interface FeatureErrors extends CommentsErrorCodes {}
}
