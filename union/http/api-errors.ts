/**
 * Every error the union answers with: a stable code, its HTTP status, and what it means (the same
 * table is documented in docs/union-api.md). Handlers throw `CrowdsellError(code, sentence)`; the
 * error handler looks the status up here. Unknown codes are a programming error and answer 500.
 */
import { CrowdsellError } from '../../extension/protocol/errors.ts';

export const errorStatuses = {
  // generic
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  HEADERS_TOO_LARGE: 431,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_READY: 503,
  TIMEOUT: 503,
  SHUTTING_DOWN: 503,
  CHAIN_UNAVAILABLE: 503,
  FORBIDDEN_ORIGIN: 403,
  // join / leave / members
  INVALID_SIGNATURE: 401,
  JOIN_EXPIRED: 422,
  JOIN_FROM_FUTURE: 422,
  MEMBER_NOT_FOUND: 404,
  MEMBER_WRONG_STATUS: 409,
  // admin sign-in
  SIWE_INVALID: 400,
  SIWE_WRONG_DOMAIN: 401,
  SIWE_WRONG_URI: 401,
  SIWE_WRONG_CHAIN: 401,
  SIWE_EXPIRED: 401,
  SIWE_BAD_NONCE: 401,
  SIWE_BAD_SIGNATURE: 401,
  NOT_ADMIN: 403,
  SECRET_NOT_FOUND: 404,
  // configs
  NO_CONFIG: 404,
  CONFIG_NOT_FOUND: 404,
  CONFIG_MALFORMED: 400,
  CONFIG_BAD_SIGNATURE: 400,
  CONFIG_WRONG_SIGNER: 403,
  CONFIG_ROLLBACK: 409,
  CONFIG_SENSITIVE_CATEGORY: 422,
  CONFIG_UNKNOWN_CATEGORY: 422,
  CONFIG_CATEGORY_MISMATCH: 422,
  CONFIG_SENSITIVE_HOST: 422,
  CONFIG_TOO_MANY_RULES: 422,
  CONFIG_EPOCH_TOO_SHORT: 422,
  CONFIG_K_TOO_SMALL: 422,
  CONFIG_EPSILON_BUDGET: 422,
  // reports
  MEMBER_NOT_ACTIVE: 403,
  REPORT_BAD_SIGNATURE: 401,
  REPORT_CONFLICT: 409,
  REPORT_UNKNOWN_CONFIG: 422,
  REPORT_EPOCH_LENGTH: 422,
  REPORT_EPOCH_MISALIGNED: 422,
  REPORT_EPOCH_NOT_CLOSED: 422,
  REPORT_EPOCH_TOO_OLD: 422,
  REPORT_EMPTY: 422,
  REPORT_UNKNOWN_CATEGORY: 422,
  REPORT_SENSITIVE_CATEGORY: 422,
  REPORT_VALUE_OUT_OF_RANGE: 422,
  // monoplasma (issue 7)
  STATE_NOT_FOUND: 404,
  NO_USABLE_ROOT: 404,
  NOT_IN_ROOT: 404,
  WITHDRAWAL_EXPIRED: 422,
  WITHDRAWAL_STALE: 409,
  WITHDRAWAL_BELOW_SIGNED_MINIMUM: 409,
  WITHDRAWAL_IN_PROGRESS: 409,
  WITHDRAWAL_TOO_SMALL: 422,
  WITHDRAWAL_REJECTED: 422,
  WITHDRAWAL_NOT_FOUND: 404,
  // product (issue 8)
  AUTH_REQUIRED: 401,
  SUBSCRIPTION_EXPIRED: 403,
  PRODUCT_NOT_CONFIGURED: 503,
} as const satisfies Record<string, number>;

export type ApiErrorCode = keyof typeof errorStatuses;

export function statusFor(code: string): number {
  return (errorStatuses as Record<string, number>)[code] ?? 500;
}

export function apiError(code: ApiErrorCode, message: string): CrowdsellError {
  return new CrowdsellError(code, message);
}
