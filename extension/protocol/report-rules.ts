/**
 * The rules a `Report` must meet to be accepted (DESIGN §3, D-001), as one pure function shared by
 * the union (which enforces them) and the extension (which can check a report before it leaves the
 * outbox). Everything here needs only the report, the config version it names and the clock; the
 * signature and the member's status are checked by the union separately.
 *
 * Times are Unix seconds. Error codes are stable; the union maps them to HTTP statuses.
 */
import type { ConfigCategory, UnionConfig } from './config.ts';
import { CrowdsellError } from './errors.ts';
import { noisyValueRange } from './privacy.ts';
import { categoryById, isSensitiveKey } from './taxonomy.ts';
import { CLOCK_SKEW_SECONDS, type Report } from './wire.ts';

/** Reports whose epoch ended longer ago than this are refused (DESIGN §3 default). */
export const DEFAULT_ACCEPTANCE_WINDOW_SECONDS = 7 * 86_400;

export const reportRuleCodes = [
  'REPORT_UNKNOWN_CONFIG',
  'REPORT_EPOCH_LENGTH',
  'REPORT_EPOCH_MISALIGNED',
  'REPORT_EPOCH_NOT_CLOSED',
  'REPORT_EPOCH_TOO_OLD',
  'REPORT_EMPTY',
  'REPORT_UNKNOWN_CATEGORY',
  'REPORT_SENSITIVE_CATEGORY',
  'REPORT_VALUE_OUT_OF_RANGE',
] as const;
export type ReportRuleCode = (typeof reportRuleCodes)[number];

export interface ReportRuleContext {
  /** The config whose `version` the report names, or undefined if the union has no such version. */
  config: UnionConfig | undefined;
  nowSeconds: number;
  acceptanceWindowSeconds?: number;
  clockSkewSeconds?: number;
}

/** Category lookup per config object, built once (configs are immutable once accepted). */
const categoryIndex = new WeakMap<UnionConfig, Map<number, ConfigCategory>>();

function configCategory(config: UnionConfig, id: number): ConfigCategory | undefined {
  let index = categoryIndex.get(config);
  if (!index) {
    index = new Map(config.categories.map((c) => [c.id, c]));
    categoryIndex.set(config, index);
  }
  return index.get(id);
}

function fail(code: ReportRuleCode, message: string): never {
  throw new CrowdsellError(code, message);
}

/** Throws a `CrowdsellError` with one of `reportRuleCodes` when the report breaks a rule. */
export function checkReportRules(report: Report, context: ReportRuleContext): void {
  const { config, nowSeconds } = context;
  const window = context.acceptanceWindowSeconds ?? DEFAULT_ACCEPTANCE_WINDOW_SECONDS;
  const skew = context.clockSkewSeconds ?? CLOCK_SKEW_SECONDS;
  if (!config || config.version !== report.configVersion) {
    fail('REPORT_UNKNOWN_CONFIG', `Config version ${report.configVersion} is not known here.`);
  }
  if (report.epochSeconds !== config.epochSeconds) {
    fail(
      'REPORT_EPOCH_LENGTH',
      `Config version ${config.version} has ${config.epochSeconds}-second epochs, not ${report.epochSeconds}.`,
    );
  }
  if (report.epochStart % report.epochSeconds !== 0) {
    fail('REPORT_EPOCH_MISALIGNED', 'The epoch does not start on a multiple of its length.');
  }
  const epochEnd = report.epochStart + report.epochSeconds;
  if (epochEnd > nowSeconds + skew) {
    fail('REPORT_EPOCH_NOT_CLOSED', 'The epoch has not ended yet; send its report afterwards.');
  }
  if (epochEnd < nowSeconds - window) {
    fail('REPORT_EPOCH_TOO_OLD', 'The epoch ended before the acceptance window and is refused.');
  }
  if (report.counts.length === 0) {
    fail('REPORT_EMPTY', 'A report must carry at least one category.');
  }
  const visits = noisyValueRange(config.privacy, config.privacy.maxVisits, report.counts.length);
  const seconds = noisyValueRange(
    config.privacy,
    config.privacy.maxActiveSeconds,
    report.counts.length,
  );
  for (const count of report.counts) {
    const listed = configCategory(config, count.category);
    const known = categoryById(count.category);
    if (!listed || !known) {
      fail(
        'REPORT_UNKNOWN_CATEGORY',
        `Category ${count.category} is not in config version ${config.version}.`,
      );
    }
    if (isSensitiveKey(listed.key) || isSensitiveKey(known.key)) {
      fail(
        'REPORT_SENSITIVE_CATEGORY',
        `Category ${count.category} is sensitive and never collected.`,
      );
    }
    if (count.visits < visits.min || count.visits > visits.max) {
      fail(
        'REPORT_VALUE_OUT_OF_RANGE',
        `Visits for category ${count.category} must lie in [${visits.min}, ${visits.max}].`,
      );
    }
    if (count.activeSeconds < seconds.min || count.activeSeconds > seconds.max) {
      fail(
        'REPORT_VALUE_OUT_OF_RANGE',
        `Active seconds for category ${count.category} must lie in [${seconds.min}, ${seconds.max}].`,
      );
    }
  }
}
