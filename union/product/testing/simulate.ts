/**
 * Simulated members for tests and benchmarks: true browsing counts, the extension's own clipping
 * and noise (`extension/protocol/noise.ts`), and the truth the union should recover. Seeded, so
 * every run is identical.
 */
import { noisyCount, type UniformRandom } from '../../../extension/protocol/noise.ts';
import type { CategoryCount } from '../../../extension/protocol/wire.ts';
import type { AcceptedReport, AggregationConfig, EpochInput } from '../types.ts';

export interface SimulatedCategory {
  readonly id: number;
  readonly key: string;
  /** Probability that a member has opted in. */
  readonly optIn: number;
  /** Mean true visits of an opted-in member (geometric; often 0, sometimes above the clip). */
  readonly meanVisits: number;
  readonly meanSeconds: number;
}

export interface SimulationSetup {
  readonly epochStart: number;
  readonly epochSeconds: number;
  readonly members: number;
  readonly categories: readonly SimulatedCategory[];
  /** Config versions members run (each member picks one uniformly); all listing `categories`. */
  readonly configs: readonly AggregationConfig[];
  readonly configInForce: number;
  readonly random: UniformRandom;
}

/** Clipped true totals per cell key `${category}:${visitsClip}:${secondsClip}`. */
export interface CellTruth {
  contributors: number;
  visits: number;
  seconds: number;
}

export interface SimulatedEpoch {
  readonly input: EpochInput;
  readonly truth: ReadonlyMap<string, CellTruth>;
}

export const cellKey = (category: number, visitsClip: number, secondsClip: number) =>
  `${category}:${visitsClip}:${secondsClip}`;

/** Geometric on {0, 1, …} with the given mean. */
function geometric(mean: number, random: UniformRandom): number {
  const p = 1 / (1 + mean);
  return Math.floor(Math.log(1 - random()) / Math.log(1 - p));
}

export function memberAddress(i: number): string {
  return `0x${i.toString(16).padStart(40, '0')}`;
}

export function simulateEpoch(setup: SimulationSetup): SimulatedEpoch {
  const { random } = setup;
  const truth = new Map<string, CellTruth>();
  const reports: AcceptedReport[] = [];
  for (let m = 0; m < setup.members; m++) {
    const config = setup.configs[Math.floor(random() * setup.configs.length)]!;
    const { epsilon, maxVisits, maxActiveSeconds } = config.privacy;
    const optedIn = setup.categories.filter((c) => random() < c.optIn);
    const counts: CategoryCount[] = optedIn.map((c) => {
      const visits = geometric(c.meanVisits, random);
      const seconds = visits === 0 ? 0 : geometric(c.meanSeconds, random);
      const key = cellKey(c.id, maxVisits, maxActiveSeconds);
      const t = truth.get(key) ?? { contributors: 0, visits: 0, seconds: 0 };
      t.contributors += 1;
      t.visits += Math.min(visits, maxVisits);
      t.seconds += Math.min(seconds, maxActiveSeconds);
      truth.set(key, t);
      return {
        category: c.id,
        visits: noisyCount(visits, maxVisits, epsilon, optedIn.length, random),
        activeSeconds: noisyCount(seconds, maxActiveSeconds, epsilon, optedIn.length, random),
      };
    });
    reports.push({ member: memberAddress(m), configVersion: config.version, counts });
  }
  return {
    input: {
      epochStart: setup.epochStart,
      epochSeconds: setup.epochSeconds,
      reports,
      configs: setup.configs,
      configInForce: setup.configInForce,
    },
    truth,
  };
}
