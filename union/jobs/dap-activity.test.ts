/**
 * The union's side of payouts under DAP against a leader answering over HTTP as its contributions
 * route does (pages with a cursor): every page is read, each (member, epoch) recorded once however
 * often it is served, and a leader that cannot be reached leaves everything as it was (a warning,
 * read again next pass) instead of failing the product pass.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { UnionConfig } from '../../extension/protocol/config.ts';
import type { Db } from '../db/db.ts';
import { dapRepo } from '../repo/dap-repo.ts';
import { testConfig } from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { dapActivity } from './dap-activity.ts';

const TASK = 'A'.repeat(43);
const config = {
  ...testConfig(2),
  aggregation: { taskId: TASK, leaderUrl: 'http://127.0.0.1:1/' },
} as unknown as UnionConfig;
const collector = {
  token: 'the-collector-token-0123',
  keypair: { config: {} as never, privateKey: new Uint8Array(32) },
};
const member = (i: number) => `0x${String(i).padStart(40, '0')}`;

let db: Db;
beforeEach(async () => {
  db = await freshPglite();
});
afterEach(() => db.close());

/** A leader serving `pages` in order (the `after` cursor picks the next one); counts requests. */
function leader(pages: { member: string; epoch: number }[][]) {
  const seen: string[] = [];
  const fetchFn: typeof fetch = (input, init) => {
    const url = new URL(input as string);
    seen.push(`${url.pathname}?${url.searchParams.toString()}`);
    expect((init?.headers as Record<string, string>)['dap-auth-token']).toBe(collector.token);
    const index = Number(url.searchParams.get('after')?.split(':')[0] ?? -1) + 1;
    const page = pages[index] ?? [];
    const next = index + 1 < pages.length ? `${index}:${member(0)}` : null;
    return Promise.resolve(Response.json({ contributions: page, next }));
  };
  return { fetchFn, seen };
}

describe('dapActivity', () => {
  it('reads every page and records each (member, epoch) once, whatever the leader repeats', async () => {
    const logs: string[] = [];
    const pages = [
      [
        { member: member(1), epoch: 86_400 },
        { member: member(2), epoch: 86_400 },
      ],
      [
        { member: member(1), epoch: 86_400 }, // served again
        { member: member(1), epoch: 172_800 },
      ],
    ];
    const { fetchFn, seen } = leader(pages);
    const record = dapActivity({
      db,
      collector,
      fetch: fetchFn,
      activityBatchSeconds: 60,
      log: (m) => logs.push(m),
    });
    await record(1_000_000, [config]);
    await record(1_060_000, [config]);
    expect(await dapRepo.contributions(db)).toEqual([
      { member: member(1), epoch: 86_400 },
      { member: member(2), epoch: 86_400 },
      { member: member(1), epoch: 172_800 },
    ]);
    expect(seen.filter((s) => s.includes('after='))).toHaveLength(2);
    expect(logs).toEqual([]);
  });

  it('leaves everything as it was when the leader cannot be reached, with a warning', async () => {
    const logs: string[] = [];
    const record = dapActivity({
      db,
      collector,
      fetch: () => Promise.reject(new Error('connect ECONNREFUSED')),
      activityBatchSeconds: 60,
      log: (m) => logs.push(m),
    });
    await expect(record(1_000_000, [config])).resolves.toBeUndefined();
    expect(logs).toEqual([expect.stringMatching(/could not be reached.*Read again next pass/)]);
    expect(await dapRepo.contributions(db)).toEqual([]);
    expect(await dapRepo.contributionCursor(db, TASK)).toBe(0);
  });
});
