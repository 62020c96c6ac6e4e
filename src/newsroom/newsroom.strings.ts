import type { Widen } from '../views/i18n.js';

/**
 * The newsroom's shared interface strings (navigation, statuses), in both editions. The English
 * object's shape is the type: the Korean one must have every key. The pages' own strings are in
 * the `newsroom-*.strings.ts` beside them; `newsroom.feature.ts` joins them.
 */
const en = {
  newsroomTitle: 'Newsroom',
  newsroomNavigation: 'Newsroom',
  newsroomNavStories: 'All stories',
  newsroomNavMine: 'My stories',
  newsroomNavReview: 'Needs my review',
  newsroomNavNew: 'New story',
  newsroomNavStaff: 'Staff',
  newsroomStatus: {
    draft: 'Draft',
    in_review: 'In review',
    scheduled: 'Scheduled',
    published: 'Published',
    unpublished: 'Unpublished',
    archived: 'Archived',
  },
  newsroomPendingReview: 'Revision in review',
  newsroomUnpublishedChanges: 'Changes not yet live',
  newsroomLanguage: { en: 'English', ko: 'Korean' },
  newsroomLate: 'Late',
  newsroomEmbargoed: 'Under embargo',
};

type NewsroomMessages = typeof en;

const ko: Widen<NewsroomMessages> = {
  newsroomTitle: '편집국',
  newsroomNavigation: '편집국',
  newsroomNavStories: '모든 기사',
  newsroomNavMine: '내 기사',
  newsroomNavReview: '검토할 기사',
  newsroomNavNew: '새 기사',
  newsroomNavStaff: '직원',
  newsroomStatus: {
    draft: '초안',
    in_review: '검토 중',
    scheduled: '예약됨',
    published: '게재됨',
    unpublished: '게재 중단',
    archived: '보관됨',
  },
  newsroomPendingReview: '수정본 검토 중',
  newsroomUnpublishedChanges: '아직 반영되지 않은 수정',
  newsroomLanguage: { en: '영어', ko: '한국어' },
  newsroomLate: '지연',
  newsroomEmbargoed: '엠바고',
};

export const newsroomStrings = { en, ko };

declare module '../views/i18n.js' {
  interface FeatureMessages extends NewsroomMessages {}
}
