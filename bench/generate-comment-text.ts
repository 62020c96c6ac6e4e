import type { Language } from '../src/articles/article.js';
import { checkCommentText } from '../src/comments/comment-text.js';
import type { Random } from './generate-text.js';
import { FAMILY_NAMES, GIVEN_NAMES, PLACES } from './generate-words.js';

/**
 * Invented readers' comments and display names, in Korean and English, for the comment
 * benchmarks. Built from the fragments below with the seeded PRNG: a reaction, one or two
 * remarks, sometimes a sign-off, as portal comments read. Nothing is taken from a real comment.
 */

/** A list written on one line: the parts are separated by ' | '. */
function words(text: string): readonly string[] {
  return text.split(' | ');
}

const KO = {
  openers: words(
    '기사 잘 읽었습니다. | 좋은 기사 감사합니다. | 솔직히 잘 모르겠네요. | 이런 소식은 처음 듣네요. | ' +
      '결국 이렇게 됐군요. | 제목만 보고 들어왔는데 내용이 알차네요. | 아침부터 답답한 소식이네요. | ' +
      '{place} 사는 사람으로서 한마디 하자면, | 오랜만에 반가운 소식입니다. | 이건 좀 아닌 것 같습니다.',
  ),
  remarks: words(
    '{place} 쪽 분위기는 기사와 조금 다릅니다. | 현장 목소리를 더 들어봤으면 좋겠어요. | ' +
      '숫자만 보면 나아졌지만 체감은 아직입니다. | 예산이 어디에 쓰이는지 투명하게 공개했으면 합니다. | ' +
      '주민 설명회가 너무 늦게 열렸다고 생각합니다. | 작년에도 같은 얘기가 나왔던 것 같은데요. | ' +
      '{place}에서도 비슷한 일이 있었습니다. | 전문가 의견도 같이 실어 주시면 좋겠네요. | ' +
      '젊은 세대 입장도 생각해 줬으면 합니다. | 이번에는 제대로 추진되길 바랍니다. | ' +
      '현실적인 대안이 먼저 나와야 하지 않을까요? | 이 문제는 정치 논리로 볼 일이 아닙니다.',
  ),
  closers: words(
    '응원합니다. | 두고 봐야겠네요. | 기자님 수고 많으셨습니다. | 후속 기사 기대하겠습니다. | ' +
      '정말 답답하네요. | 다들 어떻게 생각하세요? | ㅎㅎ | 👍',
  ),
};

const EN = {
  openers: words(
    'Thanks for this piece. | Good reporting, as usual. | I am not sure about this. | ' +
      'Finally someone writes about it. | Interesting read. | Speaking as someone from {place}, | ' +
      'This is worrying. | Not what I expected to read this morning.',
  ),
  remarks: words(
    'Things look rather different on the ground in {place}. | ' +
      'The numbers improved but people do not feel it yet. | ' +
      'I would like to know where the budget actually goes. | ' +
      'We heard the same promise last year. | The residents should have been asked first. | ' +
      'Something similar happened in {place} a few years ago. | ' +
      'It would help to hear from independent experts too. | ' +
      'Young people will pay for this in the end. | Let us hope it works this time. | ' +
      'A practical plan has to come before the slogans.',
  ),
  closers: words(
    'Keep it up. | We will see. | Looking forward to a follow-up. | ' +
      'What do others think? | Well said. | Sad, really.',
  ),
};

/** One invented comment in a language, checked against the app's own rule for comment text. */
export function commentText(language: Language, r: Random, maxLength: number): string {
  const w = language === 'ko' ? KO : EN;
  const place = r.pick(PLACES)[language];
  const parts = [r.pick(w.openers), ...r.sample(w.remarks, r.int(1, 2))];
  if (r.chance(0.5)) parts.push(r.pick(w.closers));
  const text = parts.join(' ').replaceAll('{place}', place);
  const checked = checkCommentText(text, maxLength);
  if (!checked.ok) throw new Error(`a generated comment breaks the rule: ${checked.problem.code}`);
  return checked.text;
}

/** Display names as readers choose them: a Korean name, a romanised one, or a handle. */
export function displayName(r: Random, index: number): string {
  const family = r.pick(FAMILY_NAMES);
  const given = r.pick(GIVEN_NAMES);
  switch (index % 4) {
    case 0:
    case 1:
      return `${family.ko}${given.ko}`;
    case 2:
      return `${given.en} ${family.en}`;
    default:
      return `${r.pick(PLACES).ko}시민${index % 1000}`;
  }
}
