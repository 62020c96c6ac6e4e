import type { Widen } from '../views/i18n.js';

/** The strings of the newsroom's list pages, in both editions (joined in newsroom.feature.ts). */
const en = {
  newsroomListTitle: 'Stories',
};

type NewsroomListMessages = typeof en;

const ko: Widen<NewsroomListMessages> = {
  newsroomListTitle: '기사 목록',
};

export const newsroomListStrings = { en, ko };

declare module '../views/i18n.js' {
  interface FeatureMessages extends NewsroomListMessages {}
}
