/**
 * zod schemas for the privacy parameters a signed config carries (the bounds are `privacyBounds`):
 * the local parameters of `config.privacy` and the central ε of `config.aggregation`.
 */
import { z } from 'zod';

import { privacyBounds } from './privacy.ts';

const bounded = (b: { min: number; max: number }, what: string) =>
  z
    .number()
    .min(b.min, `${what} must be at least ${b.min}`)
    .max(b.max, `${what} must be at most ${b.max}`);

/** An ε within the bounds, with at most two decimals (budgets are summed in hundredths). */
export const epsilonSchema = (what: string) =>
  bounded(privacyBounds.epsilon, what).refine(
    (e) => Number.isInteger(Math.round(e * 100)) && Math.abs(e * 100 - Math.round(e * 100)) < 1e-9,
    `${what} has at most two decimals`,
  );

export const privacyParamsSchema = z.strictObject({
  epsilon: epsilonSchema('ε'),
  maxVisits: bounded(privacyBounds.maxVisits, 'maxVisits').int(),
  maxActiveSeconds: bounded(privacyBounds.maxActiveSeconds, 'maxActiveSeconds').int(),
  kThreshold: bounded(privacyBounds.kThreshold, 'kThreshold').int(),
});
