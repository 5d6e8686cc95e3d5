/**
 * One step of the books, pure: the chain events of newly confirmed blocks and the membership
 * changes up to the horizon, merged in chain order (chain-order.ts) and applied. The revenue
 * watcher calls it once per tick with what it read; the property tests call it with a simulated
 * chain and database.
 */
import { mergeInChainOrder, type ChainEntry, type OrderedEvent } from './chain-order.ts';
import {
  membershipChanges,
  type MemberFact,
  type MembershipLogEntry,
} from './membership-changes.ts';
import type { MonoplasmaAccounting } from './monoplasma-accounting.ts';

export interface BooksStepInput {
  /** Revenue and fee changes of the blocks after `cursorBlock`, up to the newest confirmed one. */
  readonly chain: readonly ChainEntry[];
  /** Timestamp of the newest confirmed block (-Infinity: none yet). */
  readonly horizon: number;
  readonly cursorBlock: number;
  /** The start block, when this step opens the books. */
  readonly openingBlock?: number;
  /** Membership log entries after the books' position, in log order. */
  readonly log: readonly MembershipLogEntry[];
  readonly members: readonly MemberFact[];
  readonly activityWindowSeconds: number;
}

export interface BooksStepResult {
  /** The events applied (repeated revenue or fee ids left out), in order. */
  readonly applied: OrderedEvent[];
  /** Seq of the last membership log entry consumed, null when none was. */
  readonly consumedThroughSeq: number | null;
}

/** Applies one step to `accounting` (mutated); throws an AccountingError on a refused event. */
export function stepBooks(
  accounting: MonoplasmaAccounting,
  input: BooksStepInput,
): BooksStepResult {
  const membership = membershipChanges({
    books: (address) => accounting.standing(address),
    clock: accounting.clock,
    horizon: input.horizon,
    activityWindowSeconds: input.activityWindowSeconds,
    log: input.log,
    members: input.members,
  });
  const ordered = mergeInChainOrder({
    chain: input.chain,
    changes: membership.changes,
    clock: accounting.clock,
    cursorBlock: input.cursorBlock,
    ...(input.openingBlock !== undefined ? { openingBlock: input.openingBlock } : {}),
  });
  const applied = ordered.filter((o) => accounting.apply(o.event));
  return { applied, consumedThroughSeq: membership.consumedThroughSeq };
}
