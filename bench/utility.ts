/**
 * `npm run bench:utility` (issue #17): how precise one category's daily visits total is under
 * today's local-noise mode and under the aggregator mode, at the same per-epoch ε (the default
 * config's), for a simulated union of 10,000 members with 30 % in the category
 * (`utility-population.ts` states the model). Relative standard error = standard deviation of the
 * de-biased total's noise ÷ the true clipped total; the union is a census of its members, so the
 * noise is the only error.
 *
 * - **Local**: every member's report through the report builder's own noise
 *   (`reportCounts` in `extension/aggregator/report-counts.ts`: clip, ε split over the 2k values
 *   of a report with k categories on, discrete Laplace), summed as the union sums them.
 * - **Aggregator mode**: the true aggregate vector split into leader and helper shares in the
 *   Prio3 field, each noised by its aggregator's real calibration and draw (`shareNoiseFor`,
 *   `noisyShare`, the task's 60 entries at the default clip bounds), unsharded signed as the
 *   collector does.
 *
 * Each figure twice: analytic (the noise variances the code declares) and empirical (the spread
 * of REPS seeded repetitions); they must agree within 4 standard errors of the empirical
 * figure, or the run fails. Detail lines first, then one JSON object as the last line.
 */
import { reportCounts } from '../extension/aggregator/report-counts.ts';
import { measurementFor } from '../extension/protocol/dap-task.ts';
import { seededRandom } from '../extension/protocol/noise-seeded-random.ts';
import {
  defaultPrivacy,
  discreteLaplaceVariance,
  noisyValueRange,
} from '../extension/protocol/privacy.ts';
import type { EpochRecord } from '../extension/storage/schema.ts';
import {
  centralNoiseFor,
  clipBoundsOf,
  noisyShare,
  shareNoiseFor,
  type NoiseCalibrationTask,
} from '../aggregator/vdaf/central-noise.ts';
import { toField, unshardSigned } from '../aggregator/vdaf/signed-field.ts';
import { categoryTask, sumVecFor } from '../aggregator/vdaf/task.ts';
import {
  categoriesOnPmf,
  DEFAULT_POPULATION,
  simulateCategoryMembers,
  type CategoryMember,
  type PopulationModel,
} from './utility-population.ts';

const LOCAL_REPS = 1_000;
const CENTRAL_REPS = 4_000;
const TARGET = 10;
const MEASURED = 0; // index of the measured category in the task
const privacy = { ...defaultPrivacy };
const model = DEFAULT_POPULATION;

const categoryIds = Array.from({ length: model.categories }, (_, i) => i + 1);
const task = categoryTask({ categories: categoryIds.map((id) => ({ id })), privacy });
const vdaf = sumVecFor(task);
const p = vdaf.flp.field.modulus;
const calibrationTask: NoiseCalibrationTask = { vdaf: task.vdaf, clipBounds: clipBoundsOf(task) };
const log = (line: string) => console.log(line);

const sd = (xs: readonly number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
};

/** The local noise variance of one member's visits value with k categories on. */
const localVariance = (epsilon: number, k: number) =>
  discreteLaplaceVariance(noisyValueRange({ epsilon }, privacy.maxVisits, k).alpha);

/** Both aggregators' noise variance on one visits entry, at this ε, for this mechanism. */
const centralVariance = (epsilon: number, mechanism?: 'gaussian' | 'laplace') =>
  2 * centralNoiseFor(epsilon, calibrationTask, mechanism).kinds.visits.variance;

/** The local mode, empirically: every member's report through the report builder's noise. */
function localErrors(members: readonly CategoryMember[], truth: number): number[] {
  const random = seededRandom(101);
  const measuredId = categoryIds[MEASURED]!;
  const reports = members.map((m) => {
    const record: EpochRecord = {
      epochStart: 0,
      epochSeconds: 86_400,
      tallies: { [measuredId]: { visits: m.visits, activeMs: m.visits * 90_000 } },
    };
    return { record, on: categoryIds.slice(0, m.categoriesOn) };
  });
  return Array.from({ length: LOCAL_REPS }, () => {
    let total = 0;
    for (const { record, on } of reports) {
      const counts = reportCounts(record, on, { privacy, noise: true, random });
      total += counts.find((c) => c.category === measuredId)!.visits;
    }
    return total - truth;
  });
}

/** The aggregator mode, empirically: two noised aggregate shares, unsharded by the collector. */
function centralErrors(members: readonly CategoryMember[], truth: number): number[] {
  const sum = new Array<number>(task.vdaf.length).fill(0);
  for (const m of members) {
    const activity = new Map([
      [categoryIds[MEASURED]!, { visits: m.visits, activeSeconds: m.visits * 90 }],
    ]);
    measurementFor(task, activity).forEach((x, i) => (sum[i]! += x));
  }
  const split = seededRandom(102);
  const leaderShare = sum.map(() => toField(Math.floor(split() * 2 ** 53), p));
  const helperShare = sum.map((x, i) => (toField(x, p) - leaderShare[i]! + p) % p);
  const aggregator = { ...calibrationTask, centralEpsilon: privacy.epsilon };
  const leader = shareNoiseFor(aggregator, seededRandom(103));
  const helper = shareNoiseFor(aggregator, seededRandom(104));
  const visitsEntry = 3 * MEASURED + 1;
  return Array.from({ length: CENTRAL_REPS }, () => {
    const released = unshardSigned(
      [noisyShare(vdaf, leaderShare, leader), noisyShare(vdaf, helperShare, helper)],
      p,
    );
    return released[visitsEntry]! - truth;
  });
}

/** Analytic ratio of standard errors for a categories-on distribution, n members in the category. */
function analyticRatio(epsilon: number, pmf: readonly number[], n: number): number {
  const local = pmf.reduce((sum, pk, k) => sum + (pk > 0 ? pk * localVariance(epsilon, k) : 0), 0);
  return Math.sqrt((n * local) / centralVariance(epsilon));
}

const round = (x: number, digits = 3) => Number(x.toPrecision(digits));

function main(): void {
  const members = simulateCategoryMembers(model, seededRandom(100));
  const truth = members.reduce((a, m) => a + Math.min(privacy.maxVisits, m.visits), 0);
  const epsilon = privacy.epsilon;
  const meanK = members.reduce((a, m) => a + m.categoriesOn, 0) / members.length;
  const central = centralNoiseFor(epsilon, calibrationTask);

  const localSd = Math.sqrt(
    members.reduce((a, m) => a + localVariance(epsilon, m.categoriesOn), 0),
  );
  const centralSd = Math.sqrt(centralVariance(epsilon));
  const laplaceCentralSd = Math.sqrt(centralVariance(epsilon, 'laplace'));
  const localSdEmpirical = sd(localErrors(members, truth));
  const centralSdEmpirical = sd(centralErrors(members, truth));

  const agrees = (empirical: number, analytic: number, reps: number) =>
    Math.abs(empirical / analytic - 1) < 4 / Math.sqrt(2 * (reps - 1));
  const agreement = {
    local: agrees(localSdEmpirical, localSd, LOCAL_REPS),
    central: agrees(centralSdEmpirical, centralSd, CENTRAL_REPS),
  };
  const ratio = localSd / centralSd;

  const n = members.length;
  const fixed = (k: number) => Array.from({ length: k + 1 }, (_, j) => (j === k ? 1 : 0));
  const models: [string, number[]][] = [
    [`others on at ${model.otherShare} (this run)`, categoriesOnPmf(model)],
    ['others on at 0.1', categoriesOnPmf({ ...model, otherShare: 0.1 } satisfies PopulationModel)],
    ['k = 1 (only this one on)', fixed(1)],
    ['k = 3', fixed(3)],
    ['k = 5', fixed(5)],
    ['k = 10', fixed(10)],
  ];
  const sensitivity = models.map(([name, pmf]) => ({
    model: name,
    ratioAtEpsilon2: round(analyticRatio(2, pmf, n)),
    ratioAtEpsilon8: round(analyticRatio(8, pmf, n)),
  }));

  log(
    `union: ${model.members} members, ${n} with the category on (${model.measuredShare * 100} %), ` +
      `${model.categories} categories in the task, mean categories on ${meanK.toFixed(2)}; ` +
      `true clipped visits total ${truth}`,
  );
  log(
    `ε ${epsilon} per epoch, maxVisits ${privacy.maxVisits}; central: ${central.mechanism}, ` +
      `δ ${central.delta}, ρ ${central.rho?.toPrecision(4)}`,
  );
  log(
    `local:   sd ${localSd.toFixed(0)} analytic, ${localSdEmpirical.toFixed(0)} empirical ` +
      `(${LOCAL_REPS} reps) → RSE ${((100 * localSd) / truth).toFixed(2)} %`,
  );
  log(
    `central: sd ${centralSd.toFixed(0)} analytic, ${centralSdEmpirical.toFixed(0)} empirical ` +
      `(${CENTRAL_REPS} reps) → RSE ${((100 * centralSd) / truth).toFixed(2)} % ` +
      `(discrete Laplace central would be ${laplaceCentralSd.toFixed(0)})`,
  );
  log(`ratio local / central: ${ratio.toFixed(2)} × (target ${TARGET} ×)`);
  for (const s of sensitivity) {
    log(`  ${s.model}: ${s.ratioAtEpsilon2} × at ε 2, ${s.ratioAtEpsilon8} × at ε 8`);
  }
  console.log(
    JSON.stringify({
      members: model.members,
      membersInCategory: n,
      categoriesInTask: model.categories,
      meanCategoriesOn: round(meanK),
      epsilon,
      maxVisits: privacy.maxVisits,
      trueVisitsTotal: truth,
      centralMechanism: central.mechanism,
      centralDelta: central.delta,
      centralRho: central.rho === null ? null : round(central.rho, 4),
      local: {
        sdAnalytic: round(localSd),
        sdEmpirical: round(localSdEmpirical),
        reps: LOCAL_REPS,
        rse: round(localSd / truth),
      },
      central: {
        sdAnalytic: round(centralSd),
        sdEmpirical: round(centralSdEmpirical),
        reps: CENTRAL_REPS,
        rse: round(centralSd / truth),
        laplaceSdAnalytic: round(laplaceCentralSd),
      },
      ratio: round(ratio),
      ratioEmpirical: round(localSdEmpirical / centralSdEmpirical),
      targetRatio: TARGET,
      targetMet: ratio >= TARGET,
      analyticAgreesWithEmpirical: agreement,
      sensitivity,
    }),
  );
  if (!agreement.local || !agreement.central) {
    throw new Error('the empirical spread disagrees with the declared variances: a bug');
  }
}

main();
