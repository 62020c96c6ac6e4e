import type { Widen } from '../views/i18n.js';

/** The strings of the newsroom's story pages, in both editions (joined in newsroom.feature.ts). */
const en = {
  newsroomStoryTitle: 'Story',
};

type NewsroomStoryMessages = typeof en;

const ko: Widen<NewsroomStoryMessages> = {
  newsroomStoryTitle: '기사',
};

export const newsroomStoryStrings = { en, ko };

declare module '../views/i18n.js' {
  interface FeatureMessages extends NewsroomStoryMessages {}
}
