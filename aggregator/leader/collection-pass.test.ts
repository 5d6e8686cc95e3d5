/** The collection pass's log line: silent when nothing moved, one line per pass otherwise. */
import { describe, expect, it } from 'vitest';
import { collectionPass, collectionPassLine } from './collection-pass.ts';
import type { CollectionRun } from './collection-driver.ts';

describe('collection pass', () => {
  it('logs nothing when every due job is still waiting', () => {
    expect(collectionPassLine([{ jobId: 'a', outcome: 'waiting', reason: 'r' }])).toBeNull();
  });

  it('names each job it moved, and a failure that stopped it', () => {
    const runs: CollectionRun[] = [
      { jobId: 'a', outcome: 'finished', applied: true },
      { jobId: 'b', outcome: 'refused', problem: 'invalidBatchSize' },
    ];
    expect(collectionPassLine(runs, 'helper down')).toBe(
      'collection: a collected, b refused (invalidBatchSize); stopped at a failed job (retried after its lease): helper down',
    );
  });

  it('a failing driver ends the pass with a log line instead of throwing', async () => {
    const lines: string[] = [];
    let calls = 0;
    const runOne = (): Promise<CollectionRun | null> => {
      calls += 1;
      if (calls === 1) return Promise.resolve({ jobId: 'a', outcome: 'finished', applied: true });
      return Promise.reject(new Error('HTTP 503'));
    };
    await collectionPass(runOne, (line) => lines.push(line));
    expect(lines).toEqual([
      'collection: a collected; stopped at a failed job (retried after its lease): HTTP 503',
    ]);
  });
});
