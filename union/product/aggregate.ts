/**
 * One epoch's accepted reports → the epoch's product cells (DESIGN §2, §6). Pure: plain values in,
 * plain values out; the only module that sees member addresses, and its output types have none.
 *
 * Rules (docs/datasheet.md, "Preprocessing"):
 * - A cell is (category, visits clip, active-seconds clip). Reports are pooled only when their
 *   config versions clip at the same bounds, because differently clipped values estimate different
 *   quantities; ε and the number of categories may differ (the sum stays unbiased, and each
 *   report's own noise variance enters the standard error). A bounds change therefore splits a
 *   category into one row per bound pair while old and new extensions overlap.
 * - k: a cell is published only when its distinct contributors reach the highest kThreshold among
 *   the config in force and every config version that contributed to it — never lower than a
 *   promise made to any contributor.
 * - A category of the config in force (or of any report) with no publishable cell is listed once as
 *   suppressed, with no number at all — not even its contributor count — so a suppressed entry
 *   says only "fewer than k", whether the true count is 0 or k − 1.
 * - Member counts are published rounded (`publishedCount`), and every figure derived from a count
 *   (means, standard errors, interval bounds) uses the rounded one, so no published number
 *   carries the exact count of members in a cell.
 */
import { CrowdsellError } from '../../extension/protocol/errors.ts';
import { publishedCount, roundTo, SHARE_DECIMALS } from './rounding.ts';
import { estimateMeasure, noiseVariance, type NoisyValue } from './cell-estimate.ts';
import type {
  AcceptedReport,
  AggregationConfig,
  EpochInput,
  ProductCell,
  PublishedCell,
  PublishedEpoch,
} from './types.ts';

interface Group {
  readonly category: number;
  readonly visitsClip: number;
  readonly secondsClip: number;
  kThreshold: number;
  readonly visits: NoisyValue[];
  readonly seconds: NoisyValue[];
}

function configIndex(configs: readonly AggregationConfig[]): Map<number, AggregationConfig> {
  return new Map(configs.map((c) => [c.version, c]));
}

function configOf(index: Map<number, AggregationConfig>, version: number): AggregationConfig {
  const config = index.get(version);
  if (!config) {
    throw new CrowdsellError(
      'PRODUCT_UNKNOWN_CONFIG',
      `Aggregation needs config version ${version}, which was not supplied.`,
    );
  }
  return config;
}

function assertOneReportPerMember(reports: readonly AcceptedReport[]): void {
  const seen = new Set<string>();
  for (const { member } of reports) {
    const key = member.toLowerCase();
    if (seen.has(key)) {
      throw new CrowdsellError(
        'PRODUCT_DUPLICATE_MEMBER',
        'An epoch holds two reports from the same member; ingestion must keep only the first.',
      );
    }
    seen.add(key);
  }
}

/** Pools every report's values into groups of equal clip bounds, per category. */
function groupReports(
  reports: readonly AcceptedReport[],
  index: Map<number, AggregationConfig>,
): Map<string, Group> {
  const groups = new Map<string, Group>();
  for (const report of reports) {
    const config = configOf(index, report.configVersion);
    const { epsilon, maxVisits, maxActiveSeconds, kThreshold } = config.privacy;
    const listed = new Set(config.categories.map((c) => c.id));
    const categoryCount = report.counts.length;
    const visitsVariance = noiseVariance(epsilon, maxVisits, categoryCount);
    const secondsVariance = noiseVariance(epsilon, maxActiveSeconds, categoryCount);
    for (const count of report.counts) {
      if (!listed.has(count.category)) {
        throw new CrowdsellError(
          'PRODUCT_CATEGORY_NOT_IN_CONFIG',
          `A report carries category ${count.category}, which its config version ${config.version} does not list.`,
        );
      }
      const key = `${count.category}:${maxVisits}:${maxActiveSeconds}`;
      let group = groups.get(key);
      if (!group) {
        group = {
          category: count.category,
          visitsClip: maxVisits,
          secondsClip: maxActiveSeconds,
          kThreshold,
          visits: [],
          seconds: [],
        };
        groups.set(key, group);
      }
      group.kThreshold = Math.max(group.kThreshold, kThreshold);
      group.visits.push({ value: count.visits, noiseVariance: visitsVariance });
      group.seconds.push({ value: count.activeSeconds, noiseVariance: secondsVariance });
    }
  }
  return groups;
}

function categoryKeys(
  inForce: AggregationConfig,
  configs: readonly AggregationConfig[],
): Map<number, string> {
  const keys = new Map<number, string>();
  for (const config of [inForce, ...configs]) {
    for (const c of config.categories) if (!keys.has(c.id)) keys.set(c.id, c.key);
  }
  return keys;
}

function publish(group: Group, categoryKey: string, kThreshold: number): PublishedCell {
  const contributors = publishedCount(group.visits.length, kThreshold);
  return {
    suppressed: false,
    category: group.category,
    categoryKey,
    kThreshold,
    contributors: contributors.value,
    reportingMembers: 0, // set once every cell of the epoch is known (withReporting)
    shareContributing: 0,
    visits: estimateMeasure(group.visits, group.visitsClip, contributors),
    activeSeconds: estimateMeasure(group.seconds, group.secondsClip, contributors),
  };
}

/**
 * One reporting-members figure for the whole epoch: the rounded count under the k in force, and
 * never below a cell's published contributors (a cell's k may be higher than the one in force).
 */
function withReporting(cells: ProductCell[], reports: number, kInForce: number): ProductCell[] {
  const published = cells.filter((c): c is PublishedCell => !c.suppressed);
  const reporting = Math.max(
    publishedCount(reports, kInForce).value,
    ...published.map((c) => c.contributors),
  );
  return cells.map((c) =>
    c.suppressed
      ? c
      : {
          ...c,
          reportingMembers: reporting,
          shareContributing: roundTo(c.contributors / reporting, SHARE_DECIMALS),
        },
  );
}

export function aggregateEpoch(input: EpochInput): PublishedEpoch {
  const index = configIndex(input.configs);
  const inForce = configOf(index, input.configInForce);
  assertOneReportPerMember(input.reports);
  const groups = [...groupReports(input.reports, index).values()].sort(
    (a, b) =>
      a.category - b.category || a.visitsClip - b.visitsClip || a.secondsClip - b.secondsClip,
  );
  const keys = categoryKeys(inForce, input.configs);
  const categories = [
    ...new Set([...inForce.categories.map((c) => c.id), ...groups.map((g) => g.category)]),
  ].sort((a, b) => a - b);

  const cells: ProductCell[] = [];
  for (const category of categories) {
    const categoryKey = keys.get(category) ?? String(category);
    const published = groups
      .filter((g) => g.category === category)
      .map((g) => ({ group: g, k: Math.max(g.kThreshold, inForce.privacy.kThreshold) }))
      .filter(({ group, k }) => group.visits.length >= k)
      .map(({ group, k }) => publish(group, categoryKey, k));
    if (published.length > 0) cells.push(...published);
    else cells.push({ suppressed: true, category, categoryKey });
  }
  return {
    epochStart: input.epochStart,
    epochSeconds: input.epochSeconds,
    cells: withReporting(cells, input.reports.length, inForce.privacy.kThreshold),
  };
}
