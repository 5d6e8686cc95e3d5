/**
 * The exact discrete Gaussian sampler of Canonne, Kamath and Steinke (2020), "The Discrete Gaussian
 * for Differential Privacy" (Algorithms 1–3): integers only, no floating point anywhere in a draw.
 *
 *     N_Z(0, σ²):  P(X = x) = exp(−x² / (2σ²)) / Σ_y exp(−y² / (2σ²)),   x ∈ ℤ,  σ² = a / b rational.
 *
 * - Bernoulli(exp(−γ)) for a rational γ = n / d ≥ 0 (Algorithm 1): for γ ≤ 1, draw
 *   A_k ~ Bernoulli(γ / k) for k = 1, 2, … until one is 0 and return whether that k is odd;
 *   for γ > 1, ⌊γ⌋ draws of Bernoulli(exp(−1)) and one of Bernoulli(exp(−(γ − ⌊γ⌋))) must all be 1.
 * - Discrete Laplace with integer scale t, P(Y = y) ∝ exp(−|y| / t) (Algorithm 2): U uniform on
 *   {0, …, t − 1} kept with probability exp(−U / t), V geometric from Bernoulli(exp(−1)) draws,
 *   |Y| = U + t·V, a fair sign, and (sign −, 0) rejected so 0 is not counted twice.
 * - Discrete Gaussian (Algorithm 3): Y from the discrete Laplace with t = ⌊σ⌋ + 1, accepted with
 *   probability exp(−(|Y| − σ²/t)² / (2σ²)), a Bernoulli(exp(−γ)) with γ rational.
 *
 * Every Bernoulli(n / d) is "a uniform integer below d is below n", and uniform integers come from
 * 53-bit chunks of `random` by rejection, so a draw is exact in distribution given a uniform source
 * with 53-bit resolution (the aggregators' `cryptoUniform`, the extension's `cryptoRandom`, the
 * tests' `seededRandom`). Arithmetic is in bigint: σ² may be any positive rational. The local
 * mode's float-inversion discrete-Laplace sampler (`noise.ts`) is not reused as the proposal: its
 * α = exp(−1/t) and its logarithms are rounded, and the accept step is only exact on an exact
 * proposal.
 */
import type { UniformRandom } from './noise.ts';

/** A non-negative rational n / d (d > 0), exact. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

const TWO_53 = 2 ** 53;

/** 53 uniform bits from one draw of `random`, which must be a multiple of 2⁻⁵³ in [0, 1). */
function bits53(random: UniformRandom): bigint {
  const scaled = random() * TWO_53;
  if (!Number.isInteger(scaled) || scaled < 0 || scaled >= TWO_53) {
    throw new RangeError('the random source must give multiples of 2^−53 in [0, 1)');
  }
  return BigInt(scaled);
}

/** A uniform integer on {0, …, n − 1} (rejection on the smallest power of two ≥ n). */
export function uniformBelow(n: bigint, random: UniformRandom): bigint {
  if (n < 1n) throw new RangeError(`a uniform integer needs a positive range, got ${n}`);
  if (n === 1n) return 0n;
  const width = (n - 1n).toString(2).length;
  for (;;) {
    let x = 0n;
    for (let left = width; left > 0; left -= 53) {
      const take = Math.min(53, left);
      x = (x << BigInt(take)) | (bits53(random) >> BigInt(53 - take));
    }
    if (x < n) return x;
  }
}

/** Bernoulli(num / den), 0 ≤ num ≤ den. */
function bernoulli(num: bigint, den: bigint, random: UniformRandom): boolean {
  return uniformBelow(den, random) < num;
}

/** Bernoulli(exp(−num / den)) for num ≥ 0, den > 0 (CKS Algorithm 1). */
export function bernoulliExpNeg(num: bigint, den: bigint, random: UniformRandom): boolean {
  if (num < 0n || den < 1n) throw new RangeError(`γ = ${num}/${den} must be ≥ 0 with den > 0`);
  if (num > den) {
    for (let i = num / den; i > 0n; i--) if (!bernoulliExpNeg(1n, 1n, random)) return false;
    return bernoulliExpNeg(num % den, den, random);
  }
  let k = 1n;
  while (bernoulli(num, den * k, random)) k += 1n;
  return k % 2n === 1n;
}

/** One draw of P(Y = y) ∝ exp(−|y| / t) for an integer scale t ≥ 1 (CKS Algorithm 2). */
export function sampleDiscreteLaplaceExact(t: bigint, random: UniformRandom): bigint {
  if (t < 1n)
    throw new RangeError(`the discrete-Laplace scale must be a positive integer, got ${t}`);
  for (;;) {
    const u = uniformBelow(t, random);
    if (!bernoulliExpNeg(u, t, random)) continue;
    let v = 0n;
    while (bernoulliExpNeg(1n, 1n, random)) v += 1n;
    const magnitude = u + t * v;
    const negative = bernoulli(1n, 2n, random);
    if (negative && magnitude === 0n) continue;
    return negative ? -magnitude : magnitude;
  }
}

/** ⌊√n⌋ for n ≥ 0 (Newton's method on integers). */
export function floorSqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n)))) + 1n;
  for (;;) {
    const y = (x + n / x) / 2n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/** One draw of N_Z(0, σ²) for a positive rational σ² (CKS Algorithm 3). */
export function sampleDiscreteGaussian(sigma2: Rational, random: UniformRandom): bigint {
  const { num: a, den: b } = sigma2;
  if (a < 1n || b < 1n) throw new RangeError(`σ² must be a positive rational, got ${a}/${b}`);
  const t = floorSqrt(a / b) + 1n; // ⌊σ⌋ + 1, as ⌊√x⌋ = ⌊√⌊x⌋⌋
  // γ = (|Y| − σ²/t)² / (2σ²) = (|Y|·b·t − a)² / (2·a·b·t²)
  const den = 2n * a * b * t * t;
  for (;;) {
    const y = sampleDiscreteLaplaceExact(t, random);
    const magnitude = y < 0n ? -y : y;
    const offset = magnitude * b * t - a;
    if (bernoulliExpNeg(offset * offset, den, random)) return y;
  }
}

/**
 * One exact draw of N_Z(0, σ²) as a number (a draw beyond ±2⁵³, of probability below
 * exp(−2¹⁰⁵ / σ²), is refused rather than rounded).
 */
export function discreteGaussianDraw(sigma2: Rational, random: UniformRandom): number {
  const z = Number(sampleDiscreteGaussian(sigma2, random));
  if (!Number.isSafeInteger(z)) throw new RangeError('a discrete Gaussian draw beyond ±2^53');
  return z + 0; // `+ 0` turns −0 into 0
}

/** Σ_x exp(−x² / (2σ²)) (floating point; for pmfs in tests and docs, never in a draw). */
export function discreteGaussianNormaliser(sigma2: number): number {
  const reach = Math.ceil(40 * Math.sqrt(sigma2)) + 1;
  let sum = 1;
  for (let x = 1; x <= reach; x++) sum += 2 * Math.exp((-x * x) / (2 * sigma2));
  return sum;
}

/**
 * Var[N_Z(0, σ²)] (floating point). It is below σ² (CKS Proposition 19) and within 10⁻⁶
 * relative of it once σ ≥ 1; the calibration declares σ² itself (conservative for standard errors).
 */
export function discreteGaussianVariance(sigma2: number): number {
  const reach = Math.ceil(40 * Math.sqrt(sigma2)) + 1;
  let second = 0;
  for (let x = 1; x <= reach; x++) second += 2 * x * x * Math.exp((-x * x) / (2 * sigma2));
  return second / discreteGaussianNormaliser(sigma2);
}
