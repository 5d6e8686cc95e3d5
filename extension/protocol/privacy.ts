/**
 * Privacy parameters shared by the extension (which applies them) and the union (which checks
 * reports against them and de-biases aggregates). See docs/privacy.md.
 *
 * Mechanism: every reported value (visits and active seconds per opted-in category) is clipped to
 * [0, bound] and gets independent discrete-Laplace (two-sided geometric) noise with
 * α = exp(−ε_value / bound), where ε_value = ε / (2 · number of categories in the report) — the
 * per-epoch budget ε is split evenly across all values a report carries (basic composition).
 * The noise is truncated symmetrically at ±tail (resampled), which keeps it zero-mean (so sums
 * stay unbiased) and makes the guarantee (ε, δ)-DP with δ ≤ TAIL_PROBABILITY.
 */

/** Bounds any config must respect; the extension refuses a config outside them. */
export const privacyBounds = {
  epsilon: { min: 0.1, max: 8 },
  maxVisits: { min: 1, max: 1000 },
  maxActiveSeconds: { min: 60, max: 86_400 },
  kThreshold: { min: 2, max: 100_000 },
} as const;

export const defaultPrivacy = {
  epsilon: 2,
  maxVisits: 50,
  maxActiveSeconds: 14_400,
  kThreshold: 50,
} as const;

export interface PrivacyParams {
  epsilon: number;
  maxVisits: number;
  maxActiveSeconds: number;
  kThreshold: number;
}

/** Probability mass of the discrete-Laplace tail cut off by truncation (δ). */
export const TAIL_PROBABILITY = 1e-9;

/** The ε spent on each value of a report that carries `categoryCount` categories. */
export function epsilonPerValue(epsilon: number, categoryCount: number): number {
  if (categoryCount <= 0) return epsilon;
  return epsilon / (2 * categoryCount);
}

/** Discrete-Laplace parameter α for a value with clip bound `bound` and budget `eps`. */
export function discreteLaplaceAlpha(eps: number, bound: number): number {
  return Math.exp(-eps / bound);
}

/**
 * Smallest t with P(|Z| > t) ≤ TAIL_PROBABILITY for Z ~ DLap(α):
 * P(|Z| > t) = 2 α^{t+1} / (1 + α).
 */
export function noiseTail(alpha: number): number {
  if (alpha <= 0) return 0;
  const t = Math.log((TAIL_PROBABILITY * (1 + alpha)) / 2) / Math.log(alpha) - 1;
  return Math.max(0, Math.ceil(t));
}

/** Variance of DLap(α): 2α / (1 − α)². The union uses it for standard errors. */
export function discreteLaplaceVariance(alpha: number): number {
  return (2 * alpha) / (1 - alpha) ** 2;
}

/**
 * The range a noisy value can take: [−tail, bound + tail]. The union rejects values outside it.
 * Returns the same numbers the extension's sampler uses, so honest reports always pass.
 */
export function noisyValueRange(
  params: Pick<PrivacyParams, 'epsilon'>,
  bound: number,
  categoryCount: number,
): { min: number; max: number; alpha: number; tail: number } {
  const alpha = discreteLaplaceAlpha(epsilonPerValue(params.epsilon, categoryCount), bound);
  const tail = noiseTail(alpha);
  return { min: -tail, max: bound + tail, alpha, tail };
}
