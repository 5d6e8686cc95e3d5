/**
 * From an epoch's true tallies to the counts a report carries: every category the member has
 * switched on and the config lists gets an entry, including zeros — leaving out a category with
 * nothing in it would tell the union exactly what the noise is meant to hide. Each value is clipped
 * to the config's bound and gets discrete-Laplace noise with ε split evenly across all values
 * (`extension/protocol/noise.ts`, the same mechanism the union de-biases).
 */
import { noisyCount } from '../protocol/noise.ts';
import type { PrivacyParams } from '../protocol/privacy.ts';
import type { CategoryCount } from '../protocol/wire.ts';
import type { EpochRecord } from '../storage/schema.ts';

export type RandomSource = () => number;

export interface CountOptions {
  privacy: PrivacyParams;
  /** false only in test builds (the e2e hook); never reachable through a config. */
  noise: boolean;
  random: RandomSource;
}

export function clip(value: number, bound: number): number {
  return Math.min(bound, Math.max(0, Math.floor(value)));
}

export function reportCounts(
  record: EpochRecord | undefined,
  reportedCategories: readonly number[],
  options: CountOptions,
): CategoryCount[] {
  const ids = [...new Set(reportedCategories)].sort((a, b) => a - b);
  const { epsilon, maxVisits, maxActiveSeconds } = options.privacy;
  return ids.map((category) => {
    const tally = record?.tallies[String(category)];
    const visits = tally?.visits ?? 0;
    const activeSeconds = Math.floor((tally?.activeMs ?? 0) / 1000);
    if (!options.noise) {
      return {
        category,
        visits: clip(visits, maxVisits),
        activeSeconds: clip(activeSeconds, maxActiveSeconds),
      };
    }
    return {
      category,
      visits: noisyCount(visits, maxVisits, epsilon, ids.length, options.random),
      activeSeconds: noisyCount(
        activeSeconds,
        maxActiveSeconds,
        epsilon,
        ids.length,
        options.random,
      ),
    };
  });
}

/** Uniform [0, 1) from the platform CSPRNG, 53 random bits. */
export function cryptoRandom(crypto: Pick<Crypto, 'getRandomValues'>): RandomSource {
  const words = new Uint32Array(2);
  return () => {
    crypto.getRandomValues(words);
    const high = words[0]! >>> 5; // 27 bits
    const low = words[1]! >>> 6; // 26 bits
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  };
}
