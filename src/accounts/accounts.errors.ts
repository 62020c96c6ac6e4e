import type { ErrorDefinitions } from '../http/app-error.js';

/**
 * The error codes the accounts feature throws: each code's HTTP status and its title and message in
 * both editions. They join the site's table at start-up (src/features.ts).
 */
export const accountsErrors = {
  ACCOUNT_SUSPENDED: {
    status: 403,
    title: { en: 'This account is suspended', ko: '정지된 계정입니다' },
    message: {
      en: 'The standards board has suspended this account. You cannot log in with it for now.',
      ko: '심의위원회가 이 계정을 정지했습니다. 지금은 이 계정으로 로그인할 수 없습니다.',
    },
  },
  ACCOUNT_OWN_CHANGE: {
    status: 409,
    title: { en: 'Your own account', ko: '본인 계정' },
    message: {
      en: 'You cannot change your own role, status or board seat. Another admin can. Nothing was changed.',
      ko: '본인 계정의 역할, 상태, 심의위원 자리는 바꿀 수 없습니다. 다른 관리자가 바꿀 수 있습니다. 아무것도 바꾸지 않았습니다.',
    },
  },
  ACCOUNT_DELETE_UNCONFIRMED: {
    status: 422,
    title: { en: 'Not confirmed', ko: '확인되지 않았습니다' },
    message: {
      en: 'Tick the box to confirm that you understand deleting cannot be undone. Your account was not deleted.',
      ko: '되돌릴 수 없다는 것을 이해했다는 확인란에 표시해 주세요. 계정은 삭제되지 않았습니다.',
    },
  },
  LOGIN_FAILED: {
    status: 400,
    title: { en: 'Login failed', ko: '로그인하지 못했습니다' },
    message: {
      en: 'The login could not be completed. Nothing was changed; please try again.',
      ko: '로그인을 마치지 못했습니다. 바뀐 것은 없으니 다시 시도해 주세요.',
    },
  },
  LOGIN_EXPIRED: {
    status: 400,
    title: { en: 'The login has expired', ko: '로그인이 만료되었습니다' },
    message: {
      en: 'This login has expired or was already used. Please start again.',
      ko: '만료되었거나 이미 사용한 로그인입니다. 처음부터 다시 시도해 주세요.',
    },
  },
  // The next five are refused forms that come back with the reason beside their field
  // (src/http/refused-form.ts), where a message more precise than these (which rule a password
  // broke, how many tries are left) takes their place; a JSON client gets these.
  LOGIN_EMAIL_INVALID: {
    status: 400,
    title: { en: 'Not an e-mail address', ko: '이메일 주소가 아닙니다' },
    message: {
      en: 'Enter an e-mail address such as name@example.com.',
      ko: 'name@example.com 같은 이메일 주소를 입력해 주세요.',
    },
  },
  LOGIN_CODE_WRONG: {
    status: 400,
    title: { en: 'Wrong code', ko: '코드가 맞지 않습니다' },
    message: {
      en: 'That code is not right. Check it and try again.',
      ko: '코드가 맞지 않습니다. 확인한 뒤 다시 입력해 주세요.',
    },
  },
  DISPLAY_NAME_INVALID: {
    status: 400,
    title: { en: 'This name cannot be used', ko: '쓸 수 없는 이름입니다' },
    message: {
      en: 'Enter a name of at most 40 characters that can be shown.',
      ko: '표시할 수 있는 40자 이하의 이름을 입력해 주세요.',
    },
  },
  STAFF_SETUP_REFUSED: {
    status: 400,
    title: { en: 'Set-up not completed', ko: '설정을 마치지 못했습니다' },
    message: {
      en: 'Check the password, its repetition and the code, and try again.',
      ko: '비밀번호와 확인용 비밀번호, 코드를 확인한 뒤 다시 시도해 주세요.',
    },
  },
  STAFF_SETUP_EXPIRED: {
    status: 410,
    title: { en: 'The set-up link has expired', ko: '설정 링크가 만료되었습니다' },
    message: {
      en: 'This set-up link has expired or was already used. Ask an administrator for a new one.',
      ko: '만료되었거나 이미 사용한 설정 링크입니다. 관리자에게 새 링크를 요청해 주세요.',
    },
  },
  // The admin's staff page (staff-admin.routes.tsx): the invitation form comes back with these
  // beside its fields; a role change or a resent link refused comes back beside its row.
  STAFF_EMAIL_INVALID: {
    status: 400,
    title: { en: 'Not an e-mail address', ko: '이메일 주소가 아닙니다' },
    message: {
      en: 'Enter the colleague’s e-mail address, such as name@example.com. Nobody was invited.',
      ko: '동료의 이메일 주소를 name@example.com 형식으로 입력해 주세요. 아무도 초대하지 않았습니다.',
    },
  },
  STAFF_EMAIL_TAKEN: {
    status: 409,
    title: { en: 'Already on the staff', ko: '이미 스태프입니다' },
    message: {
      en: 'A staff account with this e-mail address exists already. Nobody was invited; if they have not set up yet, send them a new set-up link from the list.',
      ko: '이 이메일 주소의 스태프 계정이 이미 있습니다. 아무도 초대하지 않았습니다. 아직 설정하지 않았다면 목록에서 설정 링크를 다시 보내 주세요.',
    },
  },
  STAFF_ALREADY_SET_UP: {
    status: 409,
    title: { en: 'Already set up', ko: '이미 설정했습니다' },
    message: {
      en: 'This person has already set up their password and authenticator, so no set-up link was sent.',
      ko: '이 사람은 이미 비밀번호와 인증 앱을 설정했으므로 설정 링크를 보내지 않았습니다.',
    },
  },
  IDENTITY_TAKEN: {
    status: 409,
    title: { en: 'That account is already linked', ko: '이미 연결된 계정입니다' },
    message: {
      en: 'That account is already linked to another reader on this site.',
      ko: '그 계정은 이 사이트의 다른 독자에게 이미 연결되어 있습니다.',
    },
  },
  REAUTHENTICATE: {
    status: 401,
    title: { en: 'Please log in again', ko: '다시 로그인해 주세요' },
    message: {
      en: 'For your safety, log in again before changing this.',
      ko: '안전을 위해 바꾸기 전에 다시 로그인해 주세요.',
    },
  },
} as const satisfies ErrorDefinitions;

type AccountsErrorCodes = typeof accountsErrors;

declare module '../http/app-error.js' {
  interface FeatureErrors extends AccountsErrorCodes {}
}
