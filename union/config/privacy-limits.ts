/**
 * The privacy limits this union applies to configs (extension/protocol/privacy-budget.ts): the
 * store limits unless it was started with `developmentPrivacyLimits` (the local union of
 * `npm start` and the tests). One place, so what the union enforces and what its datasheet states
 * cannot differ.
 */
import {
  DEVELOPMENT_LIMITS,
  type PrivacyLimits,
  STORE_LIMITS,
} from '../../extension/protocol/privacy-budget.ts';

export function unionPrivacyLimits(options: { developmentPrivacyLimits: boolean }): PrivacyLimits {
  return options.developmentPrivacyLimits ? DEVELOPMENT_LIMITS : STORE_LIMITS;
}
