import type { ErrorDefinitions } from '../http/app-error.js';

/**
 * The error codes the newsroom throws: each code's HTTP status and its title and message in both
 * editions. They join the site's table at start-up (src/features.ts). Every refusal of a save
 * says that nothing was lost, and means it: a refused text is kept as a revision.
 */
export const newsroomErrors = {
  STORY_INVALID: {
    status: 422,
    title: { en: 'The story is not valid', ko: '기사가 올바르지 않습니다' },
    message: {
      en: 'Part of the story is not valid; correct it and save again. Nothing saved before was lost.',
      ko: '기사의 일부가 올바르지 않습니다. 고친 뒤 다시 저장하세요. 앞서 저장한 내용은 그대로 있습니다.',
    },
  },
  STORY_DOCUMENT_INVALID: {
    status: 422,
    title: {
      en: 'The body holds something not allowed',
      ko: '본문에 허용되지 않는 내용이 있습니다',
    },
    message: {
      en: 'The body holds an element the newsroom does not publish (only paragraphs, headings, quotes, lists, rules and safe links are). Nothing saved before was lost.',
      ko: '본문에 게재할 수 없는 요소가 있습니다(문단, 제목, 인용, 목록, 구분선, 안전한 링크만 됩니다). 앞서 저장한 내용은 그대로 있습니다.',
    },
  },
  STORY_CONFLICT: {
    status: 409,
    title: { en: 'Someone else saved this story', ko: '다른 사람이 이 기사를 저장했습니다' },
    message: {
      en: 'Someone saved a newer version while you were writing. Your text was kept as a revision of its own: compare the two and keep what you need.',
      ko: '쓰시는 동안 다른 사람이 새 판을 저장했습니다. 쓰신 글은 따로 판으로 보관했습니다. 두 판을 비교해 필요한 내용을 살리세요.',
    },
  },
  STORY_TAKEN_OVER: {
    status: 423,
    title: { en: 'An editor took the story over', ko: '에디터가 기사를 넘겨받았습니다' },
    message: {
      en: 'An editor took this story over, so it is read-only for you now. Your last text was kept as a revision.',
      ko: '에디터가 이 기사를 넘겨받아 지금은 읽기만 할 수 있습니다. 마지막으로 쓰신 글은 판으로 보관했습니다.',
    },
  },
  STORY_LOCKED: {
    status: 423,
    title: { en: 'Someone else is editing', ko: '다른 사람이 편집하고 있습니다' },
    message: {
      en: 'Someone else has this story open in the editor. Your text was kept as a revision; an editor may take the story over.',
      ko: '다른 사람이 이 기사를 편집기에서 열어 두었습니다. 쓰신 글은 판으로 보관했습니다. 에디터는 기사를 넘겨받을 수 있습니다.',
    },
  },
  STORY_NOT_ALLOWED: {
    status: 403,
    title: { en: 'Not yours to do', ko: '권한이 없습니다' },
    message: {
      en: 'Your role does not allow this on this story.',
      ko: '이 기사에 대해 이 일을 할 권한이 없습니다.',
    },
  },
  STORY_TRANSITION_REFUSED: {
    status: 409,
    title: { en: 'The story cannot move that way', ko: '기사를 그 단계로 옮길 수 없습니다' },
    message: {
      en: 'The story is not in a state from which this step is possible; reload it to see where it is now.',
      ko: '기사가 지금 단계에서는 이 일을 할 수 없습니다. 새로 불러와 현재 단계를 확인하세요.',
    },
  },
  STORY_EMBARGOED: {
    status: 409,
    title: { en: 'The story is under embargo', ko: '엠바고가 걸린 기사입니다' },
    message: {
      en: 'The story is under embargo and cannot go live before the embargo ends.',
      ko: '엠바고가 걸린 기사라 엠바고가 풀리기 전에는 게재할 수 없습니다.',
    },
  },
  STORY_SCHEDULE_INVALID: {
    status: 422,
    title: { en: 'That time cannot be used', ko: '그 시각은 쓸 수 없습니다' },
    message: {
      en: 'A story is scheduled for a minute in the future, after any embargo, in the newsroom’s time zone.',
      ko: '예약 게재 시각은 앞으로 올 시각이어야 하며 엠바고가 있으면 그 뒤여야 합니다(편집국 시간대 기준).',
    },
  },
  STORY_NOTE_INVALID: {
    status: 422,
    title: { en: 'The note is empty or too long', ko: '메모가 비었거나 너무 깁니다' },
    message: {
      en: 'A note holds 1 to 2,000 characters.',
      ko: '메모는 1자에서 2,000자까지 쓸 수 있습니다.',
    },
  },
} as const satisfies ErrorDefinitions;

type NewsroomErrorCodes = typeof newsroomErrors;

declare module '../http/app-error.js' {
  interface FeatureErrors extends NewsroomErrorCodes {}
}
