/** A collection job's pure rules: when a batch is frozen, the Collection interval, poll answers. */
import { describe, expect, it } from 'vitest';
import {
  batchCollectionInterval,
  collectionInterval,
  freezeDecision,
  pollAnswer,
} from './collection-job.ts';

const DAY = 86_400;
const day = { start: 10 * DAY, duration: DAY };
const ready = {
  interval: day,
  now: 11 * DAY,
  unaggregatedReports: 0,
  reportCount: 3,
  minBatchSize: 3,
};

describe('freezing a batch', () => {
  it('waits for the interval to end, then for every report in it to be aggregated', () => {
    expect(freezeDecision({ ...ready, now: 11 * DAY - 1 })).toMatchObject({ kind: 'wait' });
    expect(freezeDecision({ ...ready, unaggregatedReports: 1 })).toMatchObject({ kind: 'wait' });
    expect(freezeDecision(ready)).toEqual({ kind: 'freeze' });
  });

  it('refuses a batch below the minimum size (invalidBatchSize), never releasing it', () => {
    expect(freezeDecision({ ...ready, reportCount: 2 })).toMatchObject({
      kind: 'refuse',
      problem: 'invalidBatchSize',
    });
  });
});

describe('the Collection interval', () => {
  it('is the smallest precision-aligned interval covering the report times', () => {
    expect(collectionInterval(10 * DAY + 5, 10 * DAY + 9, DAY)).toEqual(day);
    expect(collectionInterval(10 * DAY + 5, 12 * DAY, DAY)).toEqual({
      start: 10 * DAY,
      duration: 3 * DAY,
    });
  });

  it('spans the buckets holding reports; a bucket without recorded times counts whole', () => {
    const buckets = [
      { start: 9 * DAY, reportCount: 0, minTime: null, maxTime: null },
      { start: 10 * DAY, reportCount: 2, minTime: 10 * DAY + 7, maxTime: 10 * DAY + 90 },
      { start: 12 * DAY, reportCount: 1, minTime: null, maxTime: null },
    ];
    expect(batchCollectionInterval(buckets, DAY)).toEqual({ start: 10 * DAY, duration: 3 * DAY });
    expect(batchCollectionInterval(buckets.slice(0, 2), DAY)).toEqual(day);
    expect(batchCollectionInterval(buckets.slice(0, 1), DAY)).toBeNull();
  });
});

describe('a poll', () => {
  const job = { state: 'pending', collection: null, problem: null, problemDetail: null } as const;

  it('answers processing until the Collection is stored, then the Collection, or the problem', () => {
    expect(pollAnswer(job)).toEqual({ kind: 'processing' });
    expect(pollAnswer({ ...job, state: 'sharing' })).toEqual({ kind: 'processing' });
    const bytes = new Uint8Array([1, 2]);
    expect(pollAnswer({ ...job, state: 'finished', collection: bytes })).toEqual({
      kind: 'collection',
      bytes,
    });
    expect(
      pollAnswer({ ...job, state: 'abandoned', problem: 'batchMismatch', problemDetail: 'why' }),
    ).toEqual({ kind: 'problem', problem: 'batchMismatch', detail: 'why' });
  });
});
