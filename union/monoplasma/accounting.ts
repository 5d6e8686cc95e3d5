/**
 * Monoplasma accounting: the pure, exact (bigint) state of the revenue share. See
 * accounting/monoplasma-accounting.ts for the arithmetic and docs/monoplasma.md for a worked
 * example. Adapters (revenue watcher, membership service, committer, validator) feed it events
 * and read totals; it does no I/O.
 */
export { FEE_SCALE, MonoplasmaAccounting } from './accounting/monoplasma-accounting.ts';
export {
  eventFromJson,
  eventToJson,
  type AccountingEvent,
  type AccountingEventJson,
  type AccountingEventType,
} from './accounting/events.ts';
export { AccountingError } from './accounting/errors.ts';
export { savedStateIsEmpty, type AccountingStateJson } from './accounting/state.ts';
export { treeEntries } from './accounting/tree-entries.ts';
