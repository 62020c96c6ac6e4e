import type { Widen } from '../views/i18n.js';

/**
 * The accounts feature's interface strings, in both editions. The English object's shape is the
 * type: the Korean one must have every key, so a missing string fails the build. They join the
 * site's catalogue at start-up (src/features.ts).
 */
const en = {
  loginTitle: 'Log in',
  loginNotConfigured:
    'Logging in is not configured on this site yet. Readers will be able to log in here with one of their accounts.',
  loginBack: 'Back to the page you were reading',
  loginIntro: 'Log in with one of your accounts to write comments, reply and react.',
  loginReauth: 'For your safety, log in again to continue.',
  loginEmailHeading: 'Log in with an e-mailed code',
  loginEmailHelp: 'We send a six-digit code to your address. No password needed.',
  loginEmailLabel: 'E-mail address',
  loginEmailSend: 'Send me a code',
  loginEmailInvalid: 'Enter an e-mail address such as name@example.com.',
  loginStaff: 'Staff sign-in',
  emailCodeTitle: 'Enter your code',
  emailCodeSent: (email: string) =>
    `We sent a six-digit code to ${email}. It works once, for 10 minutes.`,
  emailCodeLabel: 'Six-digit code',
  emailCodeSubmit: 'Log in',
  emailCodeWrong: (left: number) =>
    `That code is not right. ${left === 1 ? '1 try is' : `${left} tries are`} left.`,
  emailCodeExpired: 'This code has expired or was already used. Ask for a new one.',
  emailCodeTooMany: 'Too many wrong codes. Ask for a new one.',
  emailCodeRestart: 'Ask for a new code',
  emailCodeSubject: (code: string, site: string) => `${code} is your ${site} login code`,
  emailCodeText: (code: string, site: string, minutes: number) =>
    `Your ${site} login code is ${code}.\n\nType it on the page where you asked for it. It works once, for ${minutes} minutes.\n\nIf you did not ask for this code, you can ignore this message; nobody can log in without it.\n`,
  nameTitle: 'Your display name',
  nameWelcome: 'Welcome! Choose your display name',
  nameHelp: 'This name is shown with your comments. You can change it at any time.',
  nameLabel: 'Display name',
  nameSave: 'Save',
  nameProblem: {
    empty: 'Enter a name.',
    too_long: 'Use 40 characters or fewer.',
    control: 'The name contains characters that cannot be shown.',
    character_too_long: 'One character of the name is built from too many parts.',
  },
  accountTitle: 'Your account',
  accountChangeName: 'Change',
  accountIdentities: 'Accounts you log in with',
  accountUnlink: 'Unlink',
  accountLinkHeading: 'Link another account',
  accountLinkHelp: 'Log in with another account too. You will confirm it with that provider.',
  accountLinkWith: (provider: string) => `Link ${provider}`,
  accountSessions: 'Where you are logged in',
  accountSessionStarted: 'Logged in',
  accountSessionLastSeen: 'Last active',
  accountSessionEnd: 'Log out there',
  accountSessionThis: 'this browser',
  accountSessionUnknownDevice: 'Unknown browser',
  accountSessionBrowser: {
    kakaotalk: 'KakaoTalk’s browser',
    naver: 'Naver app',
    whale: 'Whale',
    samsung: 'Samsung Internet',
    edge: 'Edge',
    opera: 'Opera',
    firefox: 'Firefox',
    chrome: 'Chrome',
    safari: 'Safari',
  },
  accountSessionSystem: {
    iphone: 'iPhone',
    ipad: 'iPad',
    android: 'Android',
    chromeos: 'a Chromebook',
    windows: 'Windows',
    macos: 'a Mac',
    linux: 'Linux',
  },
  accountSessionOn: (browser: string, system: string) => `${browser} on ${system}`,
  accountSessionUnknownOn: (system: string) => `A browser on ${system}`,
  accountData: 'Your data',
  accountDownload: 'Download your data (JSON)',
  accountDeleteHelp:
    'Deleting your account removes your name and logins for good. Your comments stay, shown as from a deleted account.',
  accountDeleteConfirm: 'I understand that this cannot be undone',
  accountDelete: 'Delete my account',
  accountStatus: { active: 'Active', suspended: 'Suspended', deleted: 'Deleted' },
  deletedAccount: 'Deleted account',
  roleName: {
    reader: 'Reader',
    moderator: 'Moderator',
    reporter: 'Reporter',
    editor: 'Editor',
    admin: 'Administrator',
  },
  staffLoginTitle: 'Staff sign-in',
  staffLoginHelp:
    'Newsroom and standards board staff sign in with a password and an authenticator app.',
  staffEmail: 'E-mail address',
  staffPassword: 'Password',
  staffCode: 'Code from your authenticator app',
  staffSignIn: 'Sign in',
  staffSignInFailed: 'The address, password or code is not right.',
  staffCodeUsed:
    'That code has just been used, and each code works once. Wait for your authenticator app to show the next code, then sign in with it.',
  staffSetupDone:
    'Set-up is complete. Sign in with your password and the next code your authenticator app shows: the code you just used works only once.',
  staffHomeTitle: 'Staff',
  staffSignedInAs: (role: string) => `You are signed in as staff: ${role}.`,
  setupTitle: 'Set up your staff sign-in',
  setupIntro: (email: string) =>
    `Choose a password and connect an authenticator app for ${email}. This link works once.`,
  setupPassword: 'New password',
  setupPasswordHelp:
    'At least 8 characters; 15 or more is better. Any characters, including Hangul, spaces and emoji.',
  setupPasswordAgain: 'New password again',
  setupAuthenticator: 'Authenticator app',
  setupAuthenticatorHelp:
    'Add this key to an authenticator app (time-based, 6 digits), then type the code it shows.',
  setupOpenApp: 'Open in an authenticator app on this device',
  setupSave: 'Save and finish',
  setupExpired:
    'This set-up link has expired or was already used. Ask an administrator for a new one.',
  setupMismatch: 'The two passwords are not the same.',
  setupCodeWrong: 'That code is not right. Check the time on your device and try the next code.',
  passwordProblem: {
    too_short: 'Use at least 8 characters.',
    too_long: 'Use 256 characters or fewer.',
    common: 'This password is too common. Choose another.',
    contains_identity: 'Do not use your e-mail address or name as the password.',
  },
  adminAccountsTitle: 'Accounts',
  adminRole: 'Role',
  adminStatus: 'Status',
  adminCreated: 'Created',
  adminActions: 'Actions',
  adminSetRole: 'Set role',
  adminSuspend: 'Suspend',
  adminRestore: 'Restore',
  adminEndSessions: 'End sessions',
  adminBoardOn: 'Seat on the standards board',
  adminBoardOff: 'Unseat from the standards board',
  adminOnBoard: 'on the standards board',
  newsroomStaffTitle: 'Newsroom staff',
  newsroomStaffIntro:
    'Invite colleagues by e-mail and set their roles. A new colleague chooses a password and adds an authenticator app through the link they receive.',
  staffSignInColumn: 'Sign-in',
  staffSetUp: 'Set up',
  staffWaiting: (until: string) => `Waiting for set-up (link valid until ${until})`,
  staffLinkExpired: 'Waiting for set-up (no live link)',
  staffYou: '(you)',
  staffResend: 'Send a new set-up link',
  staffInviteHeading: 'Invite a colleague',
  staffInviteName: 'Name',
  staffInviteRole: 'Role',
  staffInviteSubmit: 'Send the invitation',
  staffNotice: {
    invited: 'The invitation was sent. The link in it works for 24 hours.',
    resent: 'A new set-up link was sent; the earlier one no longer works.',
    role: 'The role was changed. Their sessions have ended: they sign in again with the new role.',
  },
  staffLinkNotMailed: {
    outbox:
      'This site does not send mail (development): the message was written to the outbox, and nobody received it.',
    none: 'This site has no mail server configured, so nothing was mailed.',
    failed: 'The mail server refused the message, so nothing was mailed.',
  },
  staffLinkHandOver: (email: string, hours: number) =>
    `Give ${email} this set-up link yourself. It is shown only this once and works for ${hours} hours.`,
  staffInviteSubject: (site: string) => `Your staff account at ${site}`,
  staffInviteText: (mail: {
    site: string;
    link: string;
    hours: number;
    role: string;
    invitedBy: string | null;
    again: boolean;
  }) =>
    `${mail.again ? 'Here is a new link to set up' : `${mail.invitedBy ?? 'An administrator'} has invited you to`} your staff account at ${mail.site} (${mail.role}).\n\n` +
    `Open this link to choose a password and add an authenticator app:\n${mail.link}\n\n` +
    `It works once, for ${mail.hours} hours.${mail.again ? ' Any earlier link no longer works.' : ''}\n\n` +
    `If you were not expecting this, you can ignore this message; nothing happens without the link.\n`,
  setupScan: 'Scan this code with your authenticator app, or type the key below into it.',
  setupQrLabel: 'QR code for your authenticator app',
} as const;

export type AccountsMessages = Widen<typeof en>;

const ko: AccountsMessages = {
  loginTitle: '로그인',
  loginNotConfigured:
    '이 사이트에는 아직 로그인이 설정되지 않았습니다. 설정이 끝나면 독자 여러분의 계정 중 하나로 이곳에서 로그인할 수 있습니다.',
  loginBack: '읽던 페이지로 돌아가기',
  loginIntro: '가진 계정 중 하나로 로그인하면 댓글을 쓰고 답글과 공감을 남길 수 있습니다.',
  loginReauth: '안전을 위해 계속하려면 다시 로그인해 주세요.',
  loginEmailHeading: '이메일로 받은 코드로 로그인',
  loginEmailHelp: '입력한 주소로 여섯 자리 코드를 보내 드립니다. 비밀번호는 필요 없습니다.',
  loginEmailLabel: '이메일 주소',
  loginEmailSend: '코드 받기',
  loginEmailInvalid: 'name@example.com 같은 이메일 주소를 입력해 주세요.',
  loginStaff: '스태프 로그인',
  emailCodeTitle: '코드 입력',
  emailCodeSent: (email: string) =>
    `${email}(으)로 여섯 자리 코드를 보냈습니다. 10분 동안 한 번만 쓸 수 있습니다.`,
  emailCodeLabel: '여섯 자리 코드',
  emailCodeSubmit: '로그인',
  emailCodeWrong: (left: number) => `코드가 맞지 않습니다. ${left}번 더 시도할 수 있습니다.`,
  emailCodeExpired: '만료되었거나 이미 사용한 코드입니다. 새 코드를 받아 주세요.',
  emailCodeTooMany: '틀린 코드를 너무 많이 입력했습니다. 새 코드를 받아 주세요.',
  emailCodeRestart: '새 코드 받기',
  emailCodeSubject: (code: string, site: string) => `${site} 로그인 코드: ${code}`,
  emailCodeText: (code: string, site: string, minutes: number) =>
    `${site} 로그인 코드는 ${code}입니다.\n\n코드를 요청한 페이지에 입력해 주세요. ${minutes}분 동안 한 번만 쓸 수 있습니다.\n\n요청하지 않았다면 이 메일은 무시하셔도 됩니다. 코드 없이는 누구도 로그인할 수 없습니다.\n`,
  nameTitle: '표시 이름',
  nameWelcome: '환영합니다! 표시 이름을 정해 주세요',
  nameHelp: '이 이름이 댓글과 함께 표시됩니다. 언제든 바꿀 수 있습니다.',
  nameLabel: '표시 이름',
  nameSave: '저장',
  nameProblem: {
    empty: '이름을 입력해 주세요.',
    too_long: '40자 이하로 입력해 주세요.',
    control: '표시할 수 없는 문자가 들어 있습니다.',
    character_too_long: '너무 많은 부분으로 이루어진 글자가 들어 있습니다.',
  },
  accountTitle: '내 계정',
  accountChangeName: '바꾸기',
  accountIdentities: '로그인에 쓰는 계정',
  accountUnlink: '연결 해제',
  accountLinkHeading: '다른 계정 연결',
  accountLinkHelp: '다른 계정으로도 로그인할 수 있게 합니다. 그 서비스에서 확인을 거칩니다.',
  accountLinkWith: (provider: string) => `${provider} 연결`,
  accountSessions: '로그인된 곳',
  accountSessionStarted: '로그인',
  accountSessionLastSeen: '마지막 사용',
  accountSessionEnd: '그곳에서 로그아웃',
  accountSessionThis: '이 브라우저',
  accountSessionUnknownDevice: '알 수 없는 브라우저',
  accountSessionBrowser: {
    kakaotalk: '카카오톡 브라우저',
    naver: '네이버 앱',
    whale: '웨일',
    samsung: '삼성 인터넷',
    edge: '엣지',
    opera: '오페라',
    firefox: '파이어폭스',
    chrome: '크롬',
    safari: '사파리',
  },
  accountSessionSystem: {
    iphone: '아이폰',
    ipad: '아이패드',
    android: '안드로이드',
    chromeos: '크롬북',
    windows: '윈도우',
    macos: '맥',
    linux: '리눅스',
  },
  accountSessionOn: (browser: string, system: string) => `${system}의 ${browser}`,
  accountSessionUnknownOn: (system: string) => `${system}의 브라우저`,
  accountData: '내 정보',
  accountDownload: '내 정보 내려받기(JSON)',
  accountDeleteHelp:
    '계정을 삭제하면 이름과 로그인 정보가 영구히 지워집니다. 댓글은 남고 삭제된 계정의 댓글로 표시됩니다.',
  accountDeleteConfirm: '되돌릴 수 없다는 것을 이해했습니다',
  accountDelete: '계정 삭제',
  accountStatus: { active: '활성', suspended: '정지', deleted: '삭제됨' },
  deletedAccount: '삭제된 계정',
  roleName: {
    reader: '독자',
    moderator: '모더레이터',
    reporter: '기자',
    editor: '에디터',
    admin: '관리자',
  },
  staffLoginTitle: '스태프 로그인',
  staffLoginHelp: '편집국과 심의위원회 스태프는 비밀번호와 인증 앱으로 로그인합니다.',
  staffEmail: '이메일 주소',
  staffPassword: '비밀번호',
  staffCode: '인증 앱의 코드',
  staffSignIn: '로그인',
  staffSignInFailed: '주소, 비밀번호 또는 코드가 맞지 않습니다.',
  staffCodeUsed:
    '방금 사용한 코드입니다. 코드는 한 번만 쓸 수 있으니, 인증 앱에 다음 코드가 표시되면 그 코드로 로그인해 주세요.',
  staffSetupDone:
    '설정을 마쳤습니다. 비밀번호와 인증 앱에 새로 표시되는 코드로 로그인해 주세요. 방금 입력한 코드는 한 번만 쓸 수 있습니다.',
  staffHomeTitle: '스태프',
  staffSignedInAs: (role: string) => `스태프로 로그인했습니다: ${role}.`,
  setupTitle: '스태프 로그인 설정',
  setupIntro: (email: string) =>
    `${email} 계정의 비밀번호를 정하고 인증 앱을 연결해 주세요. 이 링크는 한 번만 쓸 수 있습니다.`,
  setupPassword: '새 비밀번호',
  setupPasswordHelp:
    '8자 이상, 15자 이상이면 더 좋습니다. 한글, 공백, 이모지 등 어떤 문자든 쓸 수 있습니다.',
  setupPasswordAgain: '새 비밀번호 확인',
  setupAuthenticator: '인증 앱',
  setupAuthenticatorHelp:
    '이 키를 인증 앱(시간 기반, 6자리)에 추가한 뒤 앱에 표시된 코드를 입력해 주세요.',
  setupOpenApp: '이 기기의 인증 앱에서 열기',
  setupSave: '저장하고 마치기',
  setupExpired: '만료되었거나 이미 사용한 설정 링크입니다. 관리자에게 새 링크를 요청해 주세요.',
  setupMismatch: '두 비밀번호가 같지 않습니다.',
  setupCodeWrong: '코드가 맞지 않습니다. 기기의 시간을 확인하고 다음 코드를 입력해 주세요.',
  passwordProblem: {
    too_short: '8자 이상으로 정해 주세요.',
    too_long: '256자 이하로 정해 주세요.',
    common: '너무 흔한 비밀번호입니다. 다른 비밀번호를 정해 주세요.',
    contains_identity: '이메일 주소나 이름을 비밀번호로 쓰지 마세요.',
  },
  adminAccountsTitle: '계정',
  adminRole: '역할',
  adminStatus: '상태',
  adminCreated: '만든 날',
  adminActions: '작업',
  adminSetRole: '역할 지정',
  adminSuspend: '정지',
  adminRestore: '복구',
  adminEndSessions: '세션 종료',
  adminBoardOn: '심의위원회 위원으로 지정',
  adminBoardOff: '심의위원회 위원 해제',
  adminOnBoard: '심의위원회 위원',
  newsroomStaffTitle: '편집국 스태프',
  newsroomStaffIntro:
    '동료를 이메일로 초대하고 역할을 정합니다. 새 동료는 받은 링크에서 비밀번호를 정하고 인증 앱을 추가합니다.',
  staffSignInColumn: '로그인 설정',
  staffSetUp: '설정 완료',
  staffWaiting: (until: string) => `설정 대기 중(링크는 ${until}까지 유효)`,
  staffLinkExpired: '설정 대기 중(유효한 링크 없음)',
  staffYou: '(나)',
  staffResend: '설정 링크 다시 보내기',
  staffInviteHeading: '동료 초대',
  staffInviteName: '이름',
  staffInviteRole: '역할',
  staffInviteSubmit: '초대 보내기',
  staffNotice: {
    invited: '초대를 보냈습니다. 초대 메일의 링크는 24시간 동안 유효합니다.',
    resent: '새 설정 링크를 보냈습니다. 이전 링크는 더 이상 쓸 수 없습니다.',
    role: '역할을 바꿨습니다. 그 사람의 세션이 종료되었으니 새 역할로 다시 로그인하게 됩니다.',
  },
  staffLinkNotMailed: {
    outbox:
      '이 사이트는 메일을 보내지 않습니다(개발 환경). 메일은 보관함(outbox)에 기록되었고 아무도 받지 않았습니다.',
    none: '이 사이트에는 메일 서버가 설정되지 않아 메일을 보내지 않았습니다.',
    failed: '메일 서버가 메일을 거부해 보내지 못했습니다.',
  },
  staffLinkHandOver: (email: string, hours: number) =>
    `이 설정 링크를 ${email}에게 직접 전해 주세요. 링크는 지금 한 번만 표시되며 ${hours}시간 동안 유효합니다.`,
  staffInviteSubject: (site: string) => `${site} 스태프 계정 안내`,
  staffInviteText: (mail: {
    site: string;
    link: string;
    hours: number;
    role: string;
    invitedBy: string | null;
    again: boolean;
  }) =>
    `${mail.again ? `${mail.site} 스태프 계정(${mail.role})을 설정할 새 링크입니다.` : `${mail.invitedBy ?? '관리자'}님이 ${mail.site} 스태프 계정(${mail.role})으로 초대했습니다.`}\n\n` +
    `아래 링크를 열어 비밀번호를 정하고 인증 앱을 추가해 주세요.\n${mail.link}\n\n` +
    `링크는 ${mail.hours}시간 동안 한 번만 쓸 수 있습니다.${mail.again ? ' 이전 링크는 더 이상 쓸 수 없습니다.' : ''}\n\n` +
    `예상하지 못한 메일이라면 무시하셔도 됩니다. 링크 없이는 아무 일도 일어나지 않습니다.\n`,
  setupScan: '인증 앱으로 이 코드를 스캔하거나 아래 키를 앱에 입력해 주세요.',
  setupQrLabel: '인증 앱용 QR 코드',
};

export const accountsStrings = { en, ko };

declare module '../views/i18n.js' {
  interface FeatureMessages extends AccountsMessages {}
}
