/**
 * The simulated union of `npm run bench:utility` (seeded, so every run is the same population):
 * who has the measured category on, how many categories each member has on, and their true
 * visits in the measured category for one day. The noise does not depend on the visits, so they
 * set only the total the relative standard error divides by; the count of categories on sets the
 * local mode's noise (ε is split over a report's 2k values), and nothing else in it matters to
 * the measured total's error.
 *
 * Model (stated, not fitted to anything):
 * - **Opt-in.** Every category of the task starts off and is a separate click (docs/privacy.md
 *   §2); each member switches each of the task's categories on independently with the same
 *   probability as the measured one (30 %). So a member in the measured category has
 *   k = 1 + Binomial(C − 1, 0.3) categories on — 6.7 on average at C = 20. `categoriesOn` may
 *   instead give a member's other categories a different rate (the runner prints other models).
 * - **Visits per day** of a member in the category: none on half the days, otherwise
 *   ⌈exp(N(ln 4, 1.1²))⌉ — median 5 on a day with visits, a long right tail (about 2 % of such
 *   days above 40), then clipped at the config's maxVisits as the device clips.
 */
import type { UniformRandom } from '../extension/protocol/noise.ts';

export interface PopulationModel {
  readonly members: number;
  readonly categories: number;
  /** P(a member has the measured category on). */
  readonly measuredShare: number;
  /** P(a member has each other category on), independently. */
  readonly otherShare: number;
  readonly zeroVisitDays: number;
  readonly visitsLogMedian: number;
  readonly visitsLogSigma: number;
}

export const DEFAULT_POPULATION: PopulationModel = {
  members: 10_000,
  categories: 20,
  measuredShare: 0.3,
  otherShare: 0.3,
  zeroVisitDays: 0.5,
  visitsLogMedian: Math.log(4),
  visitsLogSigma: 1.1,
};

/** One member who has the measured category on. */
export interface CategoryMember {
  /** Categories on, the measured one (index 0) included: k. */
  readonly categoriesOn: number;
  /** True visits to the measured category today, before clipping. */
  readonly visits: number;
}

function standardNormal(random: UniformRandom): number {
  const u = 1 - random(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** The members with the measured category on (the others add nothing to its total). */
export function simulateCategoryMembers(
  model: PopulationModel,
  random: UniformRandom,
): CategoryMember[] {
  const members: CategoryMember[] = [];
  for (let m = 0; m < model.members; m++) {
    if (random() >= model.measuredShare) continue;
    let categoriesOn = 1;
    for (let c = 1; c < model.categories; c++) if (random() < model.otherShare) categoriesOn++;
    const visits =
      random() < model.zeroVisitDays
        ? 0
        : Math.ceil(
            Math.exp(model.visitsLogMedian + model.visitsLogSigma * standardNormal(random)),
          );
    members.push({ categoriesOn, visits });
  }
  return members;
}

/** P(k categories on | the measured one on) under the model: 1 + Binomial(C − 1, otherShare). */
export function categoriesOnPmf(model: PopulationModel): number[] {
  const n = model.categories - 1;
  const p = model.otherShare;
  const pmf = new Array<number>(model.categories + 1).fill(0);
  let binomial = 1; // C(n, j)
  for (let j = 0; j <= n; j++) {
    pmf[j + 1] = binomial * p ** j * (1 - p) ** (n - j);
    binomial = (binomial * (n - j)) / (j + 1);
  }
  return pmf;
}
