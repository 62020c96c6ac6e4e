/**
 * The generator's vocabulary, in English and Korean: invented sentence parts, not text taken
 * from any article. Lists of one kind are kept apart per language (not translated pairs) except
 * where an article and its translation must agree: places, tags and people.
 */

export type Topic = 'national' | 'business' | 'culture' | 'sports' | 'opinion';

export type Bilingual = { readonly en: string; readonly ko: string };

export const PLACES: readonly Bilingual[] = [
  { en: 'Seoul', ko: '서울' },
  { en: 'Busan', ko: '부산' },
  { en: 'Incheon', ko: '인천' },
  { en: 'Daegu', ko: '대구' },
  { en: 'Gwangju', ko: '광주' },
  { en: 'Daejeon', ko: '대전' },
  { en: 'Ulsan', ko: '울산' },
  { en: 'Suwon', ko: '수원' },
  { en: 'Jeonju', ko: '전주' },
  { en: 'Jeju', ko: '제주' },
];

/** Ten tags a topic; with the places, the pool of 60 an article draws its tags from. */
export const TOPIC_TAGS: Readonly<Record<Topic, readonly Bilingual[]>> = {
  national: [
    { en: 'Transport', ko: '교통' },
    { en: 'Housing', ko: '주택' },
    { en: 'Education', ko: '교육' },
    { en: 'Health', ko: '보건' },
    { en: 'Welfare', ko: '복지' },
    { en: 'Environment', ko: '환경' },
    { en: 'Safety', ko: '안전' },
    { en: 'Local government', ko: '지방자치' },
    { en: 'Population', ko: '인구' },
    { en: 'Weather', ko: '날씨' },
  ],
  business: [
    { en: 'Exports', ko: '수출' },
    { en: 'Semiconductors', ko: '반도체' },
    { en: 'Startups', ko: '스타트업' },
    { en: 'Interest rates', ko: '금리' },
    { en: 'Jobs', ko: '일자리' },
    { en: 'Retail', ko: '유통' },
    { en: 'Shipbuilding', ko: '조선' },
    { en: 'Batteries', ko: '배터리' },
    { en: 'Real estate', ko: '부동산' },
    { en: 'Energy', ko: '에너지' },
  ],
  culture: [
    { en: 'Film', ko: '영화' },
    { en: 'Books', ko: '책' },
    { en: 'Museums', ko: '박물관' },
    { en: 'Music', ko: '음악' },
    { en: 'Theater', ko: '연극' },
    { en: 'Heritage', ko: '문화유산' },
    { en: 'Television', ko: '방송' },
    { en: 'Art', ko: '미술' },
    { en: 'Food', ko: '음식' },
    { en: 'Festivals', ko: '축제' },
  ],
  sports: [
    { en: 'Baseball', ko: '야구' },
    { en: 'Football', ko: '축구' },
    { en: 'Basketball', ko: '농구' },
    { en: 'Volleyball', ko: '배구' },
    { en: 'Marathon', ko: '마라톤' },
    { en: 'Golf', ko: '골프' },
    { en: 'Esports', ko: 'e스포츠' },
    { en: 'Swimming', ko: '수영' },
    { en: 'National team', ko: '국가대표' },
    { en: 'Stadiums', ko: '경기장' },
  ],
  opinion: [
    { en: 'Editorial', ko: '사설' },
    { en: 'Column', ko: '칼럼' },
    { en: 'Democracy', ko: '민주주의' },
    { en: 'Climate', ko: '기후' },
    { en: 'Generations', ko: '세대' },
    { en: 'Media', ko: '언론' },
    { en: 'Elections', ko: '선거' },
    { en: 'Regions', ko: '지역' },
    { en: 'Technology', ko: '기술' },
    { en: 'Letters', ko: '독자 투고' },
  ],
};

/** Romanised and Hangul name parts; the people pool and quoted sources combine them. */
export const FAMILY_NAMES: readonly Bilingual[] = [
  { en: 'Kim', ko: '김' },
  { en: 'Lee', ko: '이' },
  { en: 'Park', ko: '박' },
  { en: 'Choi', ko: '최' },
  { en: 'Jung', ko: '정' },
  { en: 'Kang', ko: '강' },
  { en: 'Cho', ko: '조' },
  { en: 'Yoon', ko: '윤' },
  { en: 'Jang', ko: '장' },
  { en: 'Lim', ko: '임' },
  { en: 'Han', ko: '한' },
  { en: 'Oh', ko: '오' },
  { en: 'Seo', ko: '서' },
  { en: 'Shin', ko: '신' },
  { en: 'Kwon', ko: '권' },
  { en: 'Hwang', ko: '황' },
  { en: 'Ahn', ko: '안' },
  { en: 'Song', ko: '송' },
  { en: 'Jeon', ko: '전' },
  { en: 'Hong', ko: '홍' },
];

export const GIVEN_NAMES: readonly Bilingual[] = [
  { en: 'Min-ji', ko: '민지' },
  { en: 'Ji-ho', ko: '지호' },
  { en: 'Seo-yeon', ko: '서연' },
  { en: 'Hyun-woo', ko: '현우' },
  { en: 'Ji-won', ko: '지원' },
  { en: 'Dong-hyun', ko: '동현' },
  { en: 'Su-bin', ko: '수빈' },
  { en: 'Jae-won', ko: '재원' },
  { en: 'Ha-eun', ko: '하은' },
  { en: 'Sung-min', ko: '성민' },
  { en: 'Ye-jin', ko: '예진' },
  { en: 'Jun-seo', ko: '준서' },
  { en: 'Eun-ji', ko: '은지' },
  { en: 'Tae-yang', ko: '태양' },
  { en: 'Da-som', ko: '다솜' },
  { en: 'Young-ho', ko: '영호' },
  { en: 'Mi-rae', ko: '미래' },
  { en: 'Sang-woo', ko: '상우' },
  { en: 'Yu-na', ko: '유나' },
  { en: 'Kyung-soo', ko: '경수' },
];

/** A list written on one line: the parts are separated by ' | '. */
function words(text: string): readonly string[] {
  return text.split(' | ');
}

export type TopicWords = {
  /** Who acts in a sentence; phrases that agree with a past-tense verb, singular or plural. */
  readonly actors: readonly string[];
  /** Who acts in a headline, in headline style. */
  readonly headlineActors: readonly string[];
  /** What they act on. */
  readonly nouns: readonly string[];
};

export const EN = {
  topics: {
    national: {
      actors: words(
        'the city government | district officials | the provincial council | civic groups | the interior ministry | residents',
      ),
      headlineActors: words('City | Ministry | District | Province'),
      nouns: words(
        'housing plan | bus route | flood barrier | school meal program | public hospital | subway extension | census report | welfare budget | recycling rule | childcare center',
      ),
    },
    business: {
      actors: words(
        'the company | analysts | exporters | the central bank | chipmakers | small business owners | investors',
      ),
      headlineActors: words('Chipmaker | Exporter | Central bank | Retailer | Shipyard'),
      nouns: words(
        'export deal | chip plant | earnings forecast | rate decision | startup fund | shipping contract | battery factory | sales target | hiring plan | wage agreement',
      ),
    },
    culture: {
      actors: words(
        'the museum | the organizers | critics | the director | the festival committee | the publisher',
      ),
      headlineActors: words('Museum | Festival | Publisher | Director | Theater'),
      nouns: words(
        'film festival | exhibition | concert series | novel | drama series | heritage site | art fair | stage production | poetry prize | archive',
      ),
    },
    sports: {
      actors: words(
        'the club | the coach | the league | fans | the national team | the federation',
      ),
      headlineActors: words('Club | Coach | League | National team | Federation'),
      nouns: words(
        'league title | season opener | home stadium | marathon course | training camp | transfer deal | youth academy | playoff run | ticket policy | medal hopes',
      ),
    },
    opinion: {
      actors: words(
        'lawmakers | the government | voters | young people | the ruling party | local leaders',
      ),
      headlineActors: words('Government | Assembly | Party | Council'),
      nouns: words(
        'pension reform | housing question | climate pledge | school reform | regional budget | media law | election rule | digital divide | labor reform | public trust',
      ),
    },
  } satisfies Record<Topic, TopicWords>,
  adjectives: words(
    'new | long-delayed | ambitious | controversial | regional | three-year | revised | larger | temporary | joint | overdue | expanded | modest | first',
  ),
  verbsPast: words(
    'announced | approved | unveiled | expanded | delayed | reviewed | criticized | proposed | completed | launched | defended | postponed | scaled back',
  ),
  verbsBase: words(
    'expand | build | review | cut | launch | double | open | revise | finish | fund',
  ),
  verbsHeadline: words(
    'unveils | approves | expands | delays | reviews | proposes | launches | defends | rethinks | backs',
  ),
  outcomes: words(
    'faces delay | wins approval | draws criticism | gets bigger budget | moves ahead | hits snag | divides residents | gains support',
  ),
  headlineTails: words(
    'after months of talks | amid budget worries | despite protests | ahead of local elections | as costs rise | after a heated hearing',
  ),
  pledges: words('pledged to | promised to | agreed to | decided to | said it would | voted to'),
  times: words(
    'on Monday | on Tuesday | on Wednesday | on Thursday | on Friday | on Saturday | on Sunday | last week | earlier this month | this year | last month',
  ),
  connectors: words(
    'However, | Meanwhile, | In a statement, | Earlier, | As a result, | Still, | At the same time,',
  ),
  quotes: words(
    'we need to move faster than this | this is only the first step | people deserve a clear answer | the numbers speak for themselves | nobody expected it to take this long | we will keep listening to residents | it is a fair deal for everyone involved | the hard part starts now | we cannot afford another year of waiting',
  ),
  quoteVerbs: words('said | told reporters | added | said in an interview'),
  roles: words(
    "a spokesperson for the city | director of the planning division | an economist at a Seoul university | head of the residents' association | the team's captain | a senior researcher | a member of the committee | a local shop owner",
  ),
  counted: words(
    'residents | workers | visitors | households | companies | students | fans | passengers',
  ),
  trends: words('rose | fell | climbed | dropped'),
  reactions: words(
    'said they had not been consulted | welcomed the decision | questioned the timing | asked for more details | said the change was long overdue | worried about the cost',
  ),
  headings: words(
    'What happens next | Why it matters | A long road | The numbers behind the plan | Mixed reactions | The cost | Looking ahead | How we got here',
  ),
  linkTexts: words(
    "the full report | the city's website | the official announcement | the schedule | the committee minutes",
  ),
  linkIntros: words('Details are available in | The plan is set out in | Readers can find more in'),
};

export const KO = {
  topics: {
    national: {
      actors: words('시 당국 | 구청 | 도의회 | 시민단체 | 행정안전부 | 주민들'),
      headlineActors: words('시의회 | 교육청 | 구청 | 소방본부'),
      nouns: words(
        '주택 공급 계획 | 버스 노선 | 홍수 방벽 | 학교 급식 사업 | 공공병원 | 지하철 연장 | 인구 조사 보고서 | 복지 예산 | 재활용 규정 | 어린이집',
      ),
    },
    business: {
      actors: words('회사 | 증권가 | 수출업계 | 중앙은행 | 반도체 업계 | 소상공인들 | 투자자들'),
      headlineActors: words('반도체 기업 | 수출 기업 | 중앙은행 | 유통업체 | 조선소'),
      nouns: words(
        '수출 계약 | 반도체 공장 | 실적 전망 | 금리 결정 | 창업 지원 기금 | 해운 계약 | 배터리 공장 | 매출 목표 | 채용 계획 | 임금 협약',
      ),
    },
    culture: {
      actors: words('박물관 | 주최 측 | 평론가들 | 감독 | 영화제 조직위원회 | 출판사'),
      headlineActors: words('박물관 | 영화제 | 출판사 | 미술관 | 국립극장'),
      nouns: words(
        '영화제 | 특별전 | 연주회 시리즈 | 장편소설 | 드라마 시리즈 | 문화유산 | 아트페어 | 연극 무대 | 문학상 | 기록보관소',
      ),
    },
    sports: {
      actors: words('구단 | 감독 | 리그 사무국 | 팬들 | 대표팀 | 협회'),
      headlineActors: words('구단 | 감독 | 프로리그 | 대표팀 | 협회'),
      nouns: words(
        '리그 우승 | 개막전 | 홈 경기장 | 마라톤 코스 | 전지훈련 | 이적 계약 | 유소년 아카데미 | 플레이오프 | 입장권 정책 | 메달 전망',
      ),
    },
    opinion: {
      actors: words('국회 | 정부 | 유권자들 | 청년층 | 여당 | 지역 정치권'),
      headlineActors: words('정부 | 국회 | 여당 | 지방의회'),
      nouns: words(
        '연금 개혁 | 주택 문제 | 기후 공약 | 교육 개혁 | 지역 예산 | 언론법 | 선거 제도 | 디지털 격차 | 노동 개혁 | 공공 신뢰',
      ),
    },
  } satisfies Record<Topic, TopicWords>,
  /** Past tenses that take an object (을/를). */
  verbsPast: words(
    '발표했다 | 승인했다 | 공개했다 | 확대했다 | 연기했다 | 검토했다 | 비판했다 | 제안했다 | 마무리했다 | 시작했다 | 옹호했다 | 축소했다',
  ),
  /** Verbal nouns, for headlines. */
  verbsHeadline: words('추진 | 발표 | 승인 | 확대 | 연기 | 재검토 | 공개 | 제동'),
  outcomes: words(
    '결국 연기 | 승인 받아 | 비판 잇따라 | 예산 늘어 | 속도 낸다 | 난관 | 주민 의견 엇갈려 | 지지 확산',
  ),
  /** Adnominal forms, before 계획이다. */
  plans: words('확대할 | 추진할 | 새로 지을 | 줄일 | 두 배로 늘릴 | 재검토할 | 마무리할 | 지원할'),
  times: words(
    '지난 월요일 | 지난 화요일 | 지난 수요일 | 지난 목요일 | 지난 금요일 | 지난주 | 이달 초 | 올해 들어 | 지난달',
  ),
  connectors: words('하지만 | 한편 | 이에 따라 | 앞서 | 그럼에도 | 이와 함께'),
  quotes: words(
    '지금보다 더 빨리 움직여야 한다 | 이것은 첫걸음일 뿐이다 | 시민들은 분명한 답을 들을 자격이 있다 | 숫자가 모든 것을 말해 준다 | 이렇게 오래 걸릴 줄은 아무도 몰랐다 | 주민들의 목소리를 계속 듣겠다 | 모두에게 공정한 합의다 | 어려운 일은 지금부터다 | 또 한 해를 기다릴 여유는 없다',
  ),
  quoteVerbs: words('라고 말했다 | 라고 덧붙였다 | 라고 강조했다 | 라고 설명했다'),
  roles: words(
    '시 대변인 | 기획과장 | 대학 경제학과 교수 | 주민협의회 회장 | 주장 | 선임연구원 | 위원회 위원 | 상점 주인',
  ),
  counted: words('주민 | 근로자 | 방문객 | 가구 | 기업 | 학생 | 관중 | 승객'),
  /** Past tenses of a change, before the quotative 고. */
  trends: words('늘었다 | 줄었다 | 증가했다 | 감소했다'),
  reactions: words(
    '사전에 충분한 설명을 듣지 못했다고 말했다 | 결정을 환영했다 | 시기가 적절한지 의문을 제기했다 | 더 자세한 내용을 요구했다 | 이미 늦은 변화라고 지적했다 | 비용을 걱정했다',
  ),
  headings: words(
    '앞으로의 과제 | 왜 중요한가 | 먼 길 | 숫자로 본 계획 | 엇갈린 반응 | 비용은 얼마나 | 전망 | 여기까지 오기까지',
  ),
  linkTexts: words('전체 보고서 | 시 홈페이지 | 공식 발표문 | 세부 일정 | 위원회 회의록'),
  linkIntros: words('자세한 내용은 | 관련 내용은 | 구체적인 계획은'),
  linkOutros: words('에서 확인할 수 있다. | 에 실려 있다. | 에서 볼 수 있다.'),
};
