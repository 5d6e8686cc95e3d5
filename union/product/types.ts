/**
 * The data product's domain types. Inputs carry member addresses (they are accepted reports);
 * outputs never do: `PublishedCell`, `SuppressedCell` and `PublishedEpoch` have no member field,
 * so nothing member-level can leave `aggregate.ts` through them.
 */
import type { PrivacyParams } from '../../extension/protocol/privacy.ts';
import type { CategoryCount } from '../../extension/protocol/wire.ts';

/** One accepted report of one epoch, as ingestion stored it (signature already verified). */
export interface AcceptedReport {
  readonly member: string;
  readonly configVersion: number;
  readonly counts: readonly CategoryCount[];
}

/** What aggregation needs from a config version; a full `UnionConfig` satisfies it. */
export interface AggregationConfig {
  readonly version: number;
  readonly privacy: PrivacyParams;
  readonly categories: readonly { readonly id: number; readonly key: string }[];
}

export interface EpochInput {
  /** Unix seconds, UTC, aligned to `epochSeconds`. */
  readonly epochStart: number;
  readonly epochSeconds: number;
  /** Every accepted report of the epoch: at most one per member. */
  readonly reports: readonly AcceptedReport[];
  /** Every config version a report names, plus the one in force. */
  readonly configs: readonly AggregationConfig[];
  /** The version in force for this epoch: its categories are the cells; its k applies (at least). */
  readonly configInForce: number;
}

/** Which method produced an epoch's cells (docs/datasheet.md, "Collection process"). */
export type ProductMode = 'plain' | 'dap';

/** A de-biased estimate with its noise standard error and a 95 % confidence interval. */
export interface Estimate {
  readonly value: number;
  readonly se: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

/** Total and per-contributor mean of one measure (visits or active seconds) of one cell. */
export interface MeasureEstimate {
  /** The clip bound every contributing report used (maxVisits or maxActiveSeconds). */
  readonly clip: number;
  readonly total: Estimate;
  readonly mean: Estimate;
}

export interface PublishedCell {
  readonly suppressed: false;
  readonly category: number;
  readonly categoryKey: string;
  /** The k this cell had to reach (the highest k any contributor or the config in force set). */
  readonly kThreshold: number;
  /**
   * Distinct members whose report carried this category (and these clip bounds), rounded
   * (`publishedCount`): never the exact count.
   */
  readonly contributors: number;
  /** Distinct members who sent a report for the epoch, whatever it carried, rounded likewise. */
  readonly reportingMembers: number;
  /** contributors / reportingMembers, of the rounded counts. */
  readonly shareContributing: number;
  readonly visits: MeasureEstimate;
  readonly activeSeconds: MeasureEstimate;
}

/** A cell below the k-threshold: only that it exists in the taxonomy, never a number about it. */
export interface SuppressedCell {
  readonly suppressed: true;
  readonly category: number;
  readonly categoryKey: string;
}

export type ProductCell = PublishedCell | SuppressedCell;

/**
 * One epoch's product, published once, after the acceptance window closed (no revisions: two
 * publications of one epoch would differ by the reports that arrived in between).
 */
export interface PublishedEpoch {
  /**
   * How the cells were computed: `plain` from members' locally noised signed reports (the union
   * saw each report), `dap` from the sums the two aggregators released with central noise (the
   * union saw only the batch's noisy sums). Absent in epochs stored before issue 17: plain.
   */
  readonly mode?: ProductMode;
  readonly epochStart: number;
  readonly epochSeconds: number;
  /** Sorted by category, then visits clip, then active-seconds clip. */
  readonly cells: readonly ProductCell[];
}
