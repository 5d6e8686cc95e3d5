/**
 * The datasheet in machine-readable form (served as JSON next to docs/datasheet.md, which stays
 * the human source). Field lists, defaults, formats and the sensitive list are taken from the
 * code that defines them, so they cannot drift; the prose summaries mirror the Markdown sections
 * (a test checks the Markdown's field tables against the same column specs).
 */
import type { PrivacyLimits } from '../../extension/protocol/privacy-budget.ts';
import {
  defaultPrivacy,
  privacyBounds,
  TAIL_PROBABILITY,
} from '../../extension/protocol/privacy.ts';
import { DEFAULT_ACCEPTANCE_WINDOW_SECONDS } from '../../extension/protocol/report-rules.ts';
import { sensitiveTopics, TAXONOMY_VERSION } from '../../extension/protocol/taxonomy.ts';
import { Z_95 } from './cell-estimate.ts';
import { DEFAULT_ROW_GROUP_SIZE } from './export/parquet.ts';
import { exportFormats } from './export/formats.ts';
import type { ColumnSpec } from './export/table.ts';
import { productColumns } from './product-row.ts';
import { COUNT_STEP, ESTIMATE_DECIMALS, SHARE_DECIMALS } from './rounding.ts';
import { SAMPLE_MIN_AGE_SECONDS } from './sample.ts';
import { sampleColumns, samplePeriods } from './sample-row.ts';

export const DATASHEET_VERSION = 2;

/** Where the human source lives, for routes that serve it. */
export const datasheetMarkdownUrl = new URL('../../docs/datasheet.md', import.meta.url);

export interface DatasheetField {
  readonly name: string;
  readonly type: ColumnSpec['type'];
  readonly unit: string;
  readonly description: string;
  /** False for columns a suppressed row leaves empty. */
  readonly alwaysPresent: boolean;
}

const fields = (columns: readonly ColumnSpec[]): DatasheetField[] =>
  columns.map(({ name, type, unit, description, required }) => ({
    name,
    type,
    unit,
    description,
    alwaysPresent: required,
  }));

/**
 * `limits`: the privacy limits the serving union enforces on configs (`unionPrivacyLimits`), so
 * the minimum k, the shortest epoch and the ε caps stated are the ones in force there — never the
 * looser schema bounds.
 */
export function datasheet(limits: PrivacyLimits) {
  return {
    title: 'Crowdsell browsing-attention aggregates',
    datasheetVersion: DATASHEET_VERSION,
    taxonomyVersion: TAXONOMY_VERSION,
    framework: 'Datasheets for Datasets (Gebru et al., 2021)',
    motivation: {
      purpose:
        'Measure attention to broad web categories over time from members who opted in, are paid, and see every byte sent; published only as aggregates of locally noised reports.',
      creators: 'The operator of a Crowdsell data union, on behalf of its members.',
      funding:
        'Researcher subscriptions bought on the Marketplace contract; revenue shared among contributing members after the admin fee.',
    },
    composition: {
      instance:
        'One row per (epoch, category, clip bounds) cell with at least k distinct contributors, or one suppressed row per (epoch, category).',
      epoch: {
        defaultSeconds: 86_400,
        minSeconds: limits.minEpochSeconds,
        timeZone: 'UTC',
        alignment: 'Unix epoch',
      },
      measures: {
        visits: 'Page loads whose host name the device classified into the category.',
        activeSeconds:
          'Seconds the classified page was the active tab of a focused window while the user was not idle.',
      },
      fields: fields(productColumns),
      suppressedRowFields: productColumns.filter((c) => c.required).map((c) => c.name),
      sampleFields: fields(sampleColumns),
      identifiers: 'None: no member, device, IP or location data in any row.',
    },
    collection: {
      instrument: 'Crowdsell browser extension (Manifest V3, desktop Chromium-based browsers).',
      consent: [
        'nothing recorded before onboarding consent',
        'every category off until the member switches it on; new categories start off',
        'pause stops recording; incognito windows are never seen',
        'every report shown to the member byte for byte',
      ],
      classification:
        'On the device, from the host name, with the shipped taxonomy and signed domain rules.',
      neverCollected: [
        'URLs',
        'host names',
        'page titles',
        'search queries',
        'page content',
        'order or timing of visits within an epoch',
        'incognito browsing',
      ],
      sensitiveCategoriesNeverCollected: sensitiveTopics.map((s) => s.key),
      reportsPerMemberPerEpoch: 1,
      zeroCategoriesReported: true,
      /** Which method produced a row: the `mode` column (docs/datasheet.md, "Collection process"). */
      modes: {
        plain: 'each member’s signed, locally noised report, aggregated by the union',
        dap: 'secret shares to two aggregators (leader and an independent helper); the union opens only the epoch’s sums with each aggregator’s central noise; contributors = noisy sum of the flags; standard errors √(2·v) from the central calibration; a category with fewer noisy contributors than k, and an epoch with fewer than k reports, suppressed',
      },
      acceptanceWindowDays: 7,
    },
    preprocessing: {
      clipping: {
        visitsDefault: defaultPrivacy.maxVisits,
        activeSecondsDefault: defaultPrivacy.maxActiveSeconds,
        bounds: {
          maxVisits: privacyBounds.maxVisits,
          maxActiveSeconds: privacyBounds.maxActiveSeconds,
        },
      },
      noise: {
        mechanism: 'discrete Laplace (two-sided geometric), symmetrically truncated',
        guarantee: '(ε, δ)-local differential privacy per member per epoch',
        epsilonPerEpochDefault: defaultPrivacy.epsilon,
        epsilonBounds: privacyBounds.epsilon,
        /** null: not capped (development limits only). */
        epsilonPerDayCap: limits.maxDailyEpsilon,
        /** Enforced by the device on what it reports; null: not capped (development only). */
        epsilonPer30DaysCap: limits.max30DayEpsilon,
        epsilonPerValue: 'ε / (2 · categories in the report)',
        alpha: 'exp(−ε_value / clip bound)',
        variance: '2α / (1 − α)²',
        delta: TAIL_PROBABILITY,
        composition: 'basic: budgets add across epochs',
        sampler: 'extension/protocol/noise.ts',
      },
      estimator: {
        total: 'sum of the contributors’ noisy values (unbiased for the clipped total)',
        mean: 'total / contributors (the published, rounded count)',
        standardError:
          'noise-only, conditional on the contributors, stated for the published count ñ: √(ñ · mean per-report noise variance), each variance from that report’s ε, clip bound and category count',
        confidenceInterval: {
          level: 0.95,
          z: Z_95,
          method:
            'estimate ± z·SE, intersected with [0, n_max × clip], n_max the largest count that rounds to contributors',
        },
      },
      kThreshold: {
        default: defaultPrivacy.kThreshold,
        bounds: { min: limits.minKThreshold, max: privacyBounds.kThreshold.max },
        applied:
          'highest k of the config in force and of every config version contributing to the cell',
      },
      privacyLimits: limits.kind,
      privacyLimitsEnforced:
        'the union refuses to publish a config below the minimum k or epoch or above the daily ε cap; store builds of the extension refuse such configs too and keep the 30-day cap on what they report',
      suppression: 'below k: only the key columns, no number (not even contributors)',
      configVersions:
        'pooled only where clip bounds match; otherwise one row per (category, clip bounds); the config in force is the highest version issued before the epoch closed',
      rounding: {
        estimateDecimals: ESTIMATE_DECIMALS,
        shareDecimals: SHARE_DECIMALS,
        memberCounts: `nearest multiple of ${COUNT_STEP} (halves up), never below k_threshold`,
      },
      publication: {
        when: 'once per epoch, after its acceptance window closed (epoch end + acceptance window + grace); never revised',
        acceptanceWindowSecondsDefault: DEFAULT_ACCEPTANCE_WINDOW_SECONDS,
        lateReports:
          'refused by the union (REPORT_EPOCH_TOO_OLD); one stored while the epoch was being published counts for the member’s activity but is never published',
      },
      publicSample: {
        periods: samplePeriods,
        minAgeSeconds: SAMPLE_MIN_AGE_SECONDS,
        source: 'published rows only (never reports, never suppressed cells)',
        rounding: {
          totalsAndMeans: '3 significant digits',
          standardErrors: '2 significant digits',
        },
      },
    },
    knownBiases: [
      'self-selected members, not a probability sample; no demographics for reweighting',
      'paid participation',
      'desktop Chromium-based browsers only; one member per browser profile',
      'opt-in per category: contributor sets differ between categories',
      'host-name classification: unclassified sites are not counted',
      'clipping understates heavy users',
      'strong noise: large relative error near the k-threshold; negative estimates occur',
      'reporting gaps: reports that never arrived within the acceptance window are missing for good',
    ],
    uses: {
      intended: [
        'aggregate attention by category over time: trends, seasonality, event effects',
        'teaching',
      ],
      prohibited: [
        're-identification or any attempt to single out, link or infer anything about a member',
        'resale, sublicensing or transfer to data brokers or anyone else',
        'advertising targeting, profiling, or decisions about individuals',
        'attempts to recover suppressed cells',
      ],
    },
    distribution: {
      access:
        'Marketplace subscription; Sign-In with Ethereum with the buying address; access until the subscription ends',
      endpoints: {
        aggregates: 'GET /v1/product/aggregates?from=&to=&categories=&format=csv|ndjson|parquet',
        stream: 'GET /v1/product/stream',
        datasheet: 'GET /v1/product/datasheet',
      },
      formats: exportFormats,
      parquet: {
        writer: 'hyparquet-writer',
        rowGroupSize: DEFAULT_ROW_GROUP_SIZE,
        compression: 'SNAPPY',
      },
      licence: {
        product:
          'non-exclusive, non-transferable research licence for the subscription period; findings and derived aggregates may be published with attribution; no redistribution of rows',
        publicSample: 'CC-BY-4.0',
        taxonomy: 'Topics API taxonomy v2, W3C Software and Document License',
      },
    },
    maintenance: {
      maintainer: 'The union operator (admin console).',
      revisions: 'none: each epoch is published once and never changed',
      taxonomy: 'ids stable forever, never reused; new categories start off for every member',
      configs: 'signed and versioned; every report names its config version',
    },
  } as const;
}
