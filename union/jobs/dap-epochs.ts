/**
 * Which epochs the DAP collector should open a collection job for next (pure). Epochs are taken in
 * order, each once: from the one after the newest epoch already given a job (or, on the first
 * run, the epoch during which the first config with an aggregation block was issued — the first
 * whose config in force has one) up to the product job's cutoff. An epoch whose config in force
 * has no aggregation block belongs to the plain product job and is skipped.
 */
import type { UnionConfig } from '../../extension/protocol/config.ts';
import { configInForce } from '../product/index.ts';

export interface DueDapEpoch {
  readonly epochStart: number;
  readonly epochSeconds: number;
  readonly config: UnionConfig;
}

export function dueDapEpochs(
  configs: readonly UnionConfig[],
  latest: { readonly epochStart: number; readonly epochSeconds: number } | null,
  /** Epochs ending at or before this instant (Unix seconds) are due. */
  cutoff: number,
  limit: number,
): DueDapEpoch[] {
  const first = configs
    .filter((c) => c.aggregation)
    .sort((a, b) => a.issuedAt - b.issuedAt || a.version - b.version)[0];
  if (!first) return [];
  let start = latest
    ? latest.epochStart + latest.epochSeconds
    : Math.floor(first.issuedAt / first.epochSeconds) * first.epochSeconds;
  let seconds = latest?.epochSeconds ?? first.epochSeconds;
  const due: DueDapEpoch[] = [];
  let switched = false;
  while (due.length < limit && start + seconds <= cutoff) {
    const version = configInForce(configs, start, seconds);
    const config = configs.find((c) => c.version === version)!;
    // A config can change the epoch length: the next epoch follows the one in force (once; two
    // configs that each put the other in force are passed as a plain epoch).
    if (!switched && (config.epochSeconds !== seconds || start % config.epochSeconds !== 0)) {
      seconds = config.epochSeconds;
      start = Math.ceil(start / seconds) * seconds;
      switched = true;
      continue;
    }
    switched = false;
    if (config.aggregation && config.epochSeconds === seconds) {
      due.push({ epochStart: start, epochSeconds: seconds, config });
    }
    start += seconds;
  }
  return due;
}
