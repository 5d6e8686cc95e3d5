/**
 * The DataUnion's bounds on its freeze period (`MIN_FREEZE_PERIOD`, `MAX_FREEZE_PERIOD` in
 * DataUnion.sol; a test checks they agree), so a deploy can refuse a bad value with a sentence
 * before it sends anything. A minute is for local and test chains only: production unions want
 * hours to a day, time for a validator to notice a bad root and the admin to revoke it.
 */
export const MIN_FREEZE_PERIOD_SECONDS = 60n;
export const MAX_FREEZE_PERIOD_SECONDS = 30n * 86_400n;
