import type { ErrorDefinitions } from '../http/app-error.js';

/**
 * The error codes the policy feature throws: each code's HTTP status and its title and message in
 * both editions. They join the site's table at start-up (src/features.ts).
 */
export const policyErrors = {
  POLICY_CHANGED: {
    status: 409,
    title: { en: 'The policy has changed', ko: '운영 원칙이 바뀌었습니다' },
    message: {
      en: 'The Standards Board Policy has changed since you read it. Read the version in force and accept it to continue.',
      ko: '읽으신 뒤 심의위원회 운영 원칙이 바뀌었습니다. 현재 시행 중인 원칙을 읽고 동의하면 계속할 수 있습니다.',
    },
  },
  POLICY_INVALID: {
    status: 422,
    title: { en: 'The policy is not valid', ko: '운영 원칙이 올바르지 않습니다' },
    message: {
      en: 'The policy could not be published because part of it is not valid. Nothing was saved.',
      ko: '운영 원칙의 일부가 올바르지 않아 게시하지 못했습니다. 아무것도 저장하지 않았습니다.',
    },
  },
} as const satisfies ErrorDefinitions;

type PolicyErrorCodes = typeof policyErrors;

declare module '../http/app-error.js' {
  interface FeatureErrors extends PolicyErrorCodes {}
}
