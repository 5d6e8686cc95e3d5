/**
 * Zero-concentrated DP (Bun & Steinke 2016) and its conversion to (ε, δ)-DP: the accounting of
 * the central discrete Gaussian noise (`aggregator/vdaf/central-noise.ts`).
 *
 * Adding N_Z(0, σ_i²) to each entry of an integer vector whose entries one report moves by at
 * most Δ_i is ρ-zCDP with ρ = Σ_i Δ_i² / (2σ_i²) (CKS 2020, Theorem 14 and Proposition 5: the
 * Rényi divergence of two discrete Gaussians shifted by an integer is the continuous one).
 * ρ-zCDP implies (ε, δ)-DP for
 *
 *     δ = inf_{α > 1}  exp((α − 1)(αρ − ε)) / (α − 1) · (1 − 1/α)^α      (CKS Corollary 13),
 *
 * tighter than the usual ε = ρ + 2√(ρ ln(1/δ)). Any α gives a valid δ, so the numerical search
 * for the best α can only err towards a larger (safe) δ.
 */

/**
 * δ of the central noise's (ε, δ) guarantee per release: fixed, far below 1 / (members of any
 * union), and the same order as the local mode's truncation δ (10⁻⁹ per value). Over a 30-day
 * ledger it adds up to 3 · 10⁻⁸.
 */
export const CENTRAL_DELTA = 1e-9;

/** The δ such that ρ-zCDP implies (ε, δ)-DP (CKS Corollary 13, α found by bisection). */
export function zcdpDelta(rho: number, epsilon: number): number {
  if (!(rho >= 0) || !(epsilon >= 0)) {
    throw new RangeError(`ρ and ε must be non-negative, got ρ = ${rho}, ε = ${epsilon}`);
  }
  if (rho === 0) return 0;
  // The objective is convex in α; its derivative's sign is that of (2α − 1)ρ − ε + ln(1 − 1/α).
  // Below α = 1.01 the formula loses precision; the optimum lies there only when ε ≲ ρ, a regime
  // with δ near 1 anyway.
  let low = 1.01;
  let high = (epsilon + 1) / (2 * rho) + 2;
  let alpha = (low + high) / 2;
  for (let i = 0; i < 200; i++) {
    alpha = (low + high) / 2;
    if ((2 * alpha - 1) * rho - epsilon + Math.log1p(-1 / alpha) < 0) low = alpha;
    else high = alpha;
  }
  const log = (alpha - 1) * (alpha * rho - epsilon) + alpha * Math.log1p(-1 / alpha);
  return Math.min(1, Math.exp(log) / (alpha - 1));
}

/** The largest ρ (to 10⁻¹² relative) whose ρ-zCDP implies (ε, δ)-DP; δ(ρ) ≤ δ always holds. */
export function zcdpRhoFor(epsilon: number, delta: number): number {
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new RangeError(`ε must be a positive number, got ${epsilon}`);
  }
  if (!(delta > 0 && delta < 1)) throw new RangeError(`δ must lie in (0, 1), got ${delta}`);
  let low = 0;
  let high = epsilon + 1; // δ(ρ = ε + 1, ε) > any δ < 1 worth asking for
  while (zcdpDelta(high, epsilon) <= delta) high *= 2;
  while (high - low > 1e-12 * high) {
    const mid = (low + high) / 2;
    if (zcdpDelta(mid, epsilon) <= delta) low = mid;
    else high = mid;
  }
  return low;
}
