import { CrowdsellError } from '../../../extension/protocol/errors.ts';

export type AccountingErrorCode =
  | 'ACCOUNTING_INVALID_ADDRESS'
  | 'ACCOUNTING_INVALID_TIME'
  | 'ACCOUNTING_TIME_WENT_BACKWARDS'
  | 'ACCOUNTING_ALREADY_MEMBER'
  | 'ACCOUNTING_NOT_MEMBER'
  | 'ACCOUNTING_INVALID_AMOUNT'
  | 'ACCOUNTING_INVALID_REVENUE_ID'
  | 'ACCOUNTING_REVENUE_CONFLICT'
  | 'ACCOUNTING_INVALID_FEE'
  | 'ACCOUNTING_INVALID_CONFIG'
  | 'ACCOUNTING_INVALID_STATE';

/**
 * An event the accounting refuses. Refusals are atomic: the state is exactly as before the call.
 * `code` is stable, `message` is one sentence for a person.
 */
export class AccountingError extends CrowdsellError {
  declare readonly code: AccountingErrorCode;

  constructor(code: AccountingErrorCode, message: string) {
    super(code, message);
    this.name = 'AccountingError';
  }
}
