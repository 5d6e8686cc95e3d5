/**
 * zCDP → (ε, δ): the conversion is a valid bound (never below the exact δ of a discrete Gaussian
 * mechanism, CKS Theorem 7), tight (within a small factor of it), tighter than the textbook
 * ε = ρ + 2√(ρ ln 1/δ), and the ρ found for (ε, δ) is the largest that converts to it.
 */
import { describe, expect, it } from 'vitest';
import { discreteGaussianNormaliser } from './noise-discrete-gaussian.ts';
import { CENTRAL_DELTA, zcdpDelta, zcdpRhoFor } from './zcdp.ts';

/**
 * The exact δ(ε) of adding N_Z(0, σ²) to a sensitivity-1 integer query (CKS Theorem 7):
 * P[X > εσ² − 1/2] − e^ε · P[X > εσ² + 1/2], X ~ N_Z(0, σ²).
 */
function exactDiscreteGaussianDelta(sigma2: number, epsilon: number): number {
  const norm = discreteGaussianNormaliser(sigma2);
  const tail = (from: number) => {
    let sum = 0;
    const reach = from + Math.ceil(40 * Math.sqrt(sigma2));
    for (let x = from; x <= reach; x++) sum += Math.exp((-x * x) / (2 * sigma2)) / norm;
    return sum;
  };
  const lower = Math.floor(epsilon * sigma2 - 0.5) + 1;
  const upper = Math.floor(epsilon * sigma2 + 0.5) + 1;
  return tail(lower) - Math.exp(epsilon) * tail(upper);
}

describe('zCDP to (ε, δ)', () => {
  it.each([
    [0.5, 1e-6],
    [2, 1e-9],
    [8, 1e-9],
  ])(
    'at ε = %s the converted δ bounds a discrete Gaussian’s exact δ, within a factor of 20',
    (epsilon, target) => {
      const rho = zcdpRhoFor(epsilon, target);
      const sigma2 = 1 / (2 * rho); // sensitivity 1: ρ = 1 / (2σ²)
      const exact = exactDiscreteGaussianDelta(sigma2, epsilon);
      const bound = zcdpDelta(rho, epsilon);
      expect(exact).toBeGreaterThan(0);
      expect(exact).toBeLessThanOrEqual(bound);
      expect(bound / exact).toBeLessThan(20);
    },
  );

  it('ρ(ε, δ) is the largest ρ converting to δ: 0.1 % more noise-free budget exceeds it', () => {
    for (const epsilon of [0.1, 1, 2, 4, 8]) {
      const rho = zcdpRhoFor(epsilon, CENTRAL_DELTA);
      expect(zcdpDelta(rho, epsilon)).toBeLessThanOrEqual(CENTRAL_DELTA);
      expect(zcdpDelta(rho * 1.001, epsilon)).toBeGreaterThan(CENTRAL_DELTA);
    }
  });

  it('is tighter than ε = ρ + 2√(ρ ln 1/δ): ρ at ε = 2, δ = 10⁻⁹ is 0.0561 against 0.0461', () => {
    const simple = (Math.sqrt(Math.log(1 / CENTRAL_DELTA) + 2) - Math.sqrt(Math.log(1e9))) ** 2;
    expect(simple).toBeCloseTo(0.0461, 4);
    expect(zcdpRhoFor(2, CENTRAL_DELTA)).toBeCloseTo(0.0561, 4);
  });

  it('δ grows with ρ and shrinks with ε; ρ = 0 gives δ = 0', () => {
    expect(zcdpDelta(0, 1)).toBe(0);
    expect(zcdpDelta(0.1, 2)).toBeLessThan(zcdpDelta(0.2, 2));
    expect(zcdpDelta(0.1, 3)).toBeLessThan(zcdpDelta(0.1, 2));
  });

  it('refuses what is not a budget', () => {
    expect(() => zcdpDelta(-1, 1)).toThrow(RangeError);
    expect(() => zcdpRhoFor(0, 1e-9)).toThrow(RangeError);
    expect(() => zcdpRhoFor(1, 0)).toThrow(RangeError);
    expect(() => zcdpRhoFor(1, 1)).toThrow(RangeError);
  });
});
