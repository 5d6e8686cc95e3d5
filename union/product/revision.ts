/**
 * Revisions: late reports (inside the acceptance window) can change an epoch that was already
 * published. Each publication of an epoch carries a revision number, 1 for the first; it goes up by
 * one exactly when anything a researcher can see changed (a cell's numbers, a cell appearing,
 * disappearing or becoming suppressed). Comparison is on the rounded, published values, so
 * re-running the aggregation on the same reports never bumps the revision.
 */
import { canonicalJson } from '../../extension/protocol/canonical-json.ts';
import type { EpochAggregate, PublishedEpoch } from './types.ts';

export interface RevisionOutcome {
  /** The epoch to publish: the previous object itself when nothing changed. */
  readonly epoch: PublishedEpoch;
  /** True when `epoch` must be (re)published: first publication or a new revision. */
  readonly changed: boolean;
}

function sameContent(a: EpochAggregate, b: EpochAggregate): boolean {
  return (
    a.epochStart === b.epochStart &&
    a.epochSeconds === b.epochSeconds &&
    canonicalJson(a.cells) === canonicalJson(b.cells)
  );
}

export function reviseEpoch(
  previous: PublishedEpoch | undefined,
  next: EpochAggregate,
): RevisionOutcome {
  if (previous === undefined) return { epoch: { ...next, revision: 1 }, changed: true };
  if (previous.epochStart !== next.epochStart || previous.epochSeconds !== next.epochSeconds) {
    throw new RangeError('a revision must describe the same epoch as the publication it replaces');
  }
  if (sameContent(previous, next)) return { epoch: previous, changed: false };
  return { epoch: { ...next, revision: previous.revision + 1 }, changed: true };
}
