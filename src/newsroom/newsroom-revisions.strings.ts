import type { Widen } from '../views/i18n.js';

/** The strings of the newsroom's revisions pages, in both editions (joined in newsroom.feature.ts). */
const en = {
  newsroomRevisionsTitle: 'Revisions',
};

type NewsroomRevisionsMessages = typeof en;

const ko: Widen<NewsroomRevisionsMessages> = {
  newsroomRevisionsTitle: '수정 이력',
};

export const newsroomRevisionsStrings = { en, ko };

declare module '../views/i18n.js' {
  interface FeatureMessages extends NewsroomRevisionsMessages {}
}
