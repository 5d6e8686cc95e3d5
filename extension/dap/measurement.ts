/**
 * An epoch's DAP measurement (docs/private-aggregation.md, "Task shape"): for every category of
 * the task, in config order, `[contributed flag, clipped visits, clipped active minutes]` — zeros
 * for a category the member has off, so the vector (and the upload's length) does not reveal which
 * ones are on. The one definition of the vector is `measurementFor` (protocol/dap-task.ts); this
 * file only feeds it the epoch's tallies of the categories the member has on.
 *
 * Local noise under an aggregation block is a config option (`aggregation.localNoise`, off by
 * default). When it is on, every entry — off categories' zeros included — gets discrete-Laplace
 * noise with the config's local ε split evenly over the `3 × categories` entries (each entry's
 * sensitivity is its clip bound: 1 for a flag), then is clamped to the range the Prio3 proof
 * accepts, [0, 2^bits − 1]. Clamping is post-processing, so the ε guarantee holds; it biases small
 * sums upward (negative draws are cut off), which the released totals do not correct.
 */
import type { CategoryActivity, CategoryTask } from '../protocol/dap-task.ts';
import { measurementFor, ENTRIES_PER_CATEGORY } from '../protocol/dap-task.ts';
import { sampleDiscreteLaplace } from '../protocol/noise.ts';
import { discreteLaplaceAlpha, noiseTail } from '../protocol/privacy.ts';
import type { EpochRecord } from '../storage/schema.ts';

export interface LocalNoise {
  readonly epsilon: number;
  readonly random: () => number;
}

/** The true measurement of `record` for the categories in `enabled` (others are zeros). */
export function epochMeasurement(
  task: CategoryTask,
  record: EpochRecord | undefined,
  enabled: readonly number[],
): number[] {
  const activity = new Map<number, CategoryActivity>();
  for (const id of enabled) {
    const tally = record?.tallies[String(id)];
    if (tally) activity.set(id, { visits: tally.visits, activeSeconds: tally.activeMs / 1000 });
  }
  return measurementFor(task, activity);
}

/** The clip bound of entry `index`: 1 for a flag, else the visits or active-minutes clip. */
function entryBound(task: CategoryTask, index: number): number {
  const kind = index % ENTRIES_PER_CATEGORY;
  return kind === 0 ? 1 : kind === 1 ? task.visitsClip : task.activeMinutesClip;
}

/** `measurement` with local noise added to every entry, clamped to [0, 2^bits − 1]. */
export function withLocalNoise(
  task: CategoryTask,
  measurement: readonly number[],
  noise: LocalNoise,
): number[] {
  const perEntry = noise.epsilon / measurement.length;
  const top = 2 ** task.vdaf.bits - 1;
  return measurement.map((value, index) => {
    const bound = entryBound(task, index);
    const alpha = discreteLaplaceAlpha(perEntry, bound);
    const noisy = value + sampleDiscreteLaplace(alpha, noiseTail(alpha), noise.random);
    return Math.min(top, Math.max(0, noisy));
  });
}
