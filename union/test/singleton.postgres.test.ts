/**
 * Two union instances on one real PostgreSQL database (the same DATABASE_URL, each with its own
 * connection pool) and a real local EVM: whichever instance ticks, and however the ticks
 * interleave, every revenue transfer is credited once and each commit period yields exactly one
 * root. The revenue watcher and the committer take `pg_try_advisory_xact_lock` inside their
 * transaction; the loser of a race skips its tick (PGlite, single-process, always wins).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import type { UnionServer } from '../app.ts';
import type { CommitResult } from '../jobs/committer.ts';
import { insertActiveMember, type ChainFixture } from '../test-support/chain-fixture.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { postgresAvailable } from '../test-support/postgres-cluster.ts';
import { startUnionPair, type UnionPair } from '../test-support/union-pair.ts';

const hasPostgres = postgresAvailable('singleton.postgres.test.ts');

let pair: UnionPair;
let fx: ChainFixture;
let instances: UnionServer[] = [];

async function count(sql: string): Promise<number> {
  const r = await instances[0]!.db.query<{ n: number }>(sql);
  return r.rows[0]!.n;
}

describe.skipIf(!hasPostgres)('singleton jobs on PostgreSQL', () => {
  beforeAll(async () => {
    // Both instances start (and migrate) together on the same database.
    pair = await startUnionPair('singleton');
    ({ fx, instances } = pair);
    await insertActiveMember(instances[0]!.db, randomWallet().address, {
      at: instances[0]!.options.now(),
    });
  }, 120_000);

  afterAll(async () => {
    await pair?.close();
  });

  it('credits each purchase once and commits exactly one root per period, whoever ticks', async () => {
    const union = dataUnionAt(fx.deployment.dataUnion, fx.provider);
    let paid = 0n;
    let lastCommitted = 0;
    for (let period = 1; period <= 3; period++) {
      paid += await fx.purchase(BigInt(100 * period));
      // Watcher ticks racing on both instances, then both committers at once.
      await Promise.all(instances.flatMap((i) => [i.monoplasma!.watch(), i.monoplasma!.watch()]));
      const results: CommitResult[] = await Promise.all(
        instances.map((i) => i.monoplasma!.commit()),
      );
      expect(results.filter((r) => r.committed)).toHaveLength(1);
      expect(results.filter((r) => !r.committed).map((r) => (r.committed ? '' : r.reason))).toEqual(
        [expect.stringMatching(/^(locked|unchanged|not-newer)$/)],
      );

      const commits = await union.queryFilter(union.filters.RootCommitted!());
      expect(commits).toHaveLength(period);
      expect(await count('SELECT count(*)::int AS n FROM revenue_transfers')).toBe(period);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM monoplasma_events WHERE event ->> 'type' = 'revenue-received'`,
        ),
      ).toBe(period);
      const committed = results.find((r) => r.committed)!;
      if (!committed.committed) continue;
      lastCommitted = committed.blockNumber;
      const state = await instances[1]!.app.inject({
        method: 'GET',
        url: `/v1/state/${committed.blockNumber}`,
      });
      expect(state.json<{ totalRevenue: string }>().totalRevenue).toBe(paid.toString());
    }
    // Nothing new: neither instance commits again.
    const idle = await Promise.all(instances.map((i) => i.monoplasma!.commit()));
    expect(idle.filter((r) => r.committed)).toHaveLength(0);
    // Each instance's own validator agrees with the shared books: the last run, resuming from the
    // checkpoint the run before it stored (D-041), checked the third root only.
    for (const instance of instances) {
      const status = await instance.app.inject({ method: 'GET', url: '/v1/validator/status' });
      expect(status.json()).toMatchObject({
        lastRun: { ok: true, commitsChecked: 1, blockNumber: lastCommitted },
      });
    }
  });
});
