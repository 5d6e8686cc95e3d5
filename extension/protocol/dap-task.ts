/**
 * The Prio3 task the union's categories define (pure, no VDAF library): the one source of truth
 * for the task shape that the extension (which will shard members' measurements, part 2), the
 * union's config rules (which check the config's `aggregation.vdaf` against it) and both
 * aggregators use.
 *
 * Shape: Prio3SumVec over 3 × categories entries, in config order, per category
 * `[contributed flag, clipped visits, clipped active minutes]`. Prio3Histogram does not fit: it
 * proves a one-hot vector (one bucket per report), while a member contributes to several
 * categories at once, each with a count. SumVec proves every entry lies in [0, 2^bits); one `bits`
 * covers the whole vector, so it is the bit length of the larger clip bound.
 *
 * What the proof does and does not enforce: an entry can reach 2^bits − 1, not only its clip bound
 * (a flag can be up to 2^bits − 1 too). That bounds how far a malicious client moves a sum
 * (robustness); central noise protects an honest member, whose device clips, so it is calibrated
 * to the clip bounds — see docs/private-aggregation.md, "ε accounting".
 */

/** Entries per category: contributed flag, visits, active minutes. */
export const ENTRIES_PER_CATEGORY = 3;

export interface SumVecParams {
  readonly length: number;
  readonly bits: number;
  readonly chunkLength: number;
}

export interface CategoryTask {
  /** Category ids in vector order: entry 3·i..3·i+2 belongs to `categoryIds[i]`. */
  readonly categoryIds: readonly number[];
  readonly visitsClip: number;
  readonly activeMinutesClip: number;
  readonly vdaf: SumVecParams;
}

/** What of a union config the task depends on (structural, so this file imports no config). */
export interface TaskSource {
  readonly categories: readonly { readonly id: number }[];
  readonly privacy: { readonly maxVisits: number; readonly maxActiveSeconds: number };
}

/** Bits SumVec needs for entries up to `n`: the task's `bits` is that of the larger clip bound. */
export const bitLength = (n: number) => Math.max(1, Math.ceil(Math.log2(n + 1)));

/** The chunk length that minimises proof size for SumVec: about √(length · bits) (VDAF-08 §7.4.3). */
export function sumVecChunkLength(length: number, bits: number): number {
  return Math.max(1, Math.round(Math.sqrt(length * bits)));
}

export function categoryTask(config: TaskSource): CategoryTask {
  if (config.categories.length === 0) {
    throw new RangeError('A DAP task needs at least one category.');
  }
  const visitsClip = config.privacy.maxVisits;
  const activeMinutesClip = Math.ceil(config.privacy.maxActiveSeconds / 60);
  const length = ENTRIES_PER_CATEGORY * config.categories.length;
  const bits = bitLength(Math.max(visitsClip, activeMinutesClip));
  return {
    categoryIds: config.categories.map((c) => c.id),
    visitsClip,
    activeMinutesClip,
    vdaf: { length, bits, chunkLength: sumVecChunkLength(length, bits) },
  };
}

export interface CategoryActivity {
  readonly visits: number;
  readonly activeSeconds: number;
}

/**
 * A member's measurement: for each category of the task, the flag and clipped counts, zeros for a
 * category the member has off or did not visit (so which ones are on is not revealed). Active time
 * is rounded to the nearest minute after clipping.
 */
export function measurementFor(
  task: CategoryTask,
  activity: ReadonlyMap<number, CategoryActivity>,
): number[] {
  return task.categoryIds.flatMap((id) => {
    const a = activity.get(id);
    if (a === undefined || (a.visits <= 0 && a.activeSeconds <= 0)) return [0, 0, 0];
    const visits = Math.min(task.visitsClip, Math.max(0, Math.floor(a.visits)));
    const minutes = Math.min(task.activeMinutesClip, Math.max(0, Math.round(a.activeSeconds / 60)));
    return [1, visits, minutes];
  });
}
