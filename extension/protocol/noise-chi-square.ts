/**
 * Pearson χ² goodness of fit of integer samples against an exact pmf, for the statistical tests of
 * the noise samplers (tests only). Bins are given by their lower edges; the first bin reaches −∞
 * and the last +∞, and the pmf's mass in each is summed over `support` (which must hold all but a
 * negligible part of the mass).
 */
export interface ChiSquare {
  readonly stat: number;
  readonly df: number;
  readonly smallestExpected: number;
}

export function chiSquareBinned(
  samples: readonly number[],
  pmf: (z: number) => number,
  innerEdges: readonly number[],
  support: { readonly from: number; readonly to: number },
): ChiSquare {
  const binOf = (z: number) => {
    let bin = 0;
    while (bin < innerEdges.length && z >= innerEdges[bin]!) bin++;
    return bin;
  };
  const bins = innerEdges.length + 1;
  const observed = new Array<number>(bins).fill(0);
  for (const z of samples) observed[binOf(z)]! += 1;
  const expected = new Array<number>(bins).fill(0);
  for (let z = support.from; z <= support.to; z++) {
    expected[binOf(z)]! += pmf(z) * samples.length;
  }
  const stat = observed.reduce((sum, o, i) => sum + (o - expected[i]!) ** 2 / expected[i]!, 0);
  return { stat, df: bins - 1, smallestExpected: Math.min(...expected) };
}

/** `count` evenly spaced edges of width `width`, centred on 0. */
export function centredEdges(count: number, width: number): number[] {
  const start = -Math.floor(count / 2) * width;
  return Array.from({ length: count }, (_, i) => start + i * width);
}

/** Upper quantile of χ²(df) at standard-normal quantile z (Wilson–Hilferty approximation). */
export function chiSquareCritical(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

/** P(N(0, 1) > z) ≈ 10⁻⁶: a correct sampler fails a test at this level about once in a million. */
export const Z_ONE_IN_A_MILLION = 4.753;
