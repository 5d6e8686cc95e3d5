/**
 * One pass of the collection driver inside the leader's loop: moves every due collection job on
 * (freeze, ask the helper, store) and logs one line when anything happened. A failure (the helper
 * down, a 5xx) is logged and the job waits for its lease; it never stops the aggregation loop.
 */
import type { CollectionRun } from './collection-driver.ts';

/** What a run did, for the log; null for a job still waiting (not worth a line). */
function moved(r: CollectionRun): string | null {
  if (r.outcome === 'waiting') return null;
  if (r.outcome === 'finished') return `${r.jobId} collected`;
  return `${r.jobId} ${r.outcome} (${r.problem})`;
}

export function collectionPassLine(runs: readonly CollectionRun[], error?: string): string | null {
  const parts = runs.map(moved).filter((p): p is string => p !== null);
  if (parts.length === 0 && error === undefined) return null;
  const line = `collection: ${parts.length === 0 ? 'no job moved' : parts.join(', ')}`;
  return error === undefined
    ? line
    : `${line}; stopped at a failed job (retried after its lease): ${error}`;
}

export async function collectionPass(
  runOne: () => Promise<CollectionRun | null>,
  log: (line: string) => void,
): Promise<void> {
  const runs: CollectionRun[] = [];
  let error: string | undefined;
  try {
    for (let run = await runOne(); run !== null; run = await runOne()) runs.push(run);
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  const line = collectionPassLine(runs, error);
  if (line !== null) log(line);
}
