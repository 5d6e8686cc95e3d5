/**
 * The validator on a real in-process EVM and PGlite: the union's own check after each commit
 * (GET /v1/validator/status), the published accounting input log, replay mode catching a
 * tampered event, a missing revenue event and a dishonest snapshot (whose root does match),
 * the admin's revoke, and a clean shutdown of the Merkle workers.
 */
import type { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { devAccount, signerFor, type ChainServer } from '../../contracts/chain.ts';
import type { Deployment } from '../../contracts/deploy.ts';
import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import { createUnionServer, type UnionServer } from '../app.ts';
import { validate, type ValidateOptions } from '../chain/validator.ts';
import type { Db } from '../db/db.ts';
import { merkleWorkerPool } from '../monoplasma/merkle/worker-pool.ts';
import { totalsRecord } from '../monoplasma/snapshot-pages.ts';
import { monoplasmaRepo } from '../repo/monoplasma-repo.ts';
import {
  insertActiveMember,
  startChainFixture,
  type ChainFixture,
} from '../test-support/chain-fixture.ts';
import { commitDishonestRoot } from '../test-support/dishonest-root.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';

const FREEZE = 3600n;
let fx: ChainFixture;

let chain: ChainServer;
let provider: JsonRpcProvider;
let deployment: Deployment;
let db: Db;
let server: UnionServer;
const memberA = randomWallet().address.toLowerCase();
const memberB = randomWallet().address.toLowerCase();

function addMember(address: string): Promise<void> {
  return insertActiveMember(db, address, { at: fx.now() });
}

async function purchase(seconds: bigint): Promise<void> {
  await fx.purchase(seconds);
}

async function get(path: string) {
  const res = await server.app.inject({ method: 'GET', url: path });
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
}

function validateOptions(): ValidateOptions {
  return {
    rpcUrl: chain.url,
    dataUnion: deployment.dataUnion,
    replay: true,
    fetchJson: async (url: string) => {
      const { pathname, search } = new URL(url);
      const res = await server.app.inject({ method: 'GET', url: pathname + search });
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      return res.json<unknown>();
    },
  };
}

/** Runs `fn` with one stored row changed, then puts it back. */
async function withTampered(
  sql: string,
  params: unknown[],
  restore: string,
  fn: () => Promise<void>,
) {
  await db.query(sql, params);
  try {
    await fn();
  } finally {
    await db.exec(restore);
  }
}

beforeAll(async () => {
  fx = await startChainFixture({ freezePeriodSeconds: FREEZE });
  ({ chain, provider, deployment } = fx);
  db = await freshPglite();
  await addMember(memberA);
  await addMember(memberB);
  server = await createUnionServer({ ...fx.unionOptions(), db });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
  await fx?.close();
});

describe('the validator, own and public', () => {
  let firstBlock = 0;

  it('reports no run before the first commit, then the own check of each new root', async () => {
    expect(await get('/v1/validator/status')).toEqual({ status: 200, body: { lastRun: null } });
    await purchase(1000n);
    const result = await server.monoplasma!.commit();
    if (!result.committed) throw new Error(`no commit: ${result.reason}`);
    firstBlock = result.blockNumber;
    const status = await get('/v1/validator/status');
    expect(status.body).toEqual({
      lastRun: {
        blockNumber: result.blockNumber,
        root: result.root,
        ok: true,
        problem: null,
        checkedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
        commitsChecked: 1,
      },
    });
  });

  it('publishes the accounting input log in pages, and each snapshot names its last event', async () => {
    const all = await get('/v1/accounting/events?after=0&limit=1000');
    const events = all.body.events as { seq: number; kind: string; blockNumber: number }[];
    expect(events.map((e) => e.kind)).toEqual([
      'admin-fee-set',
      'member-joined',
      'member-activity-changed',
      'member-joined',
      'member-activity-changed',
      'revenue-received',
    ]);
    const revenue = events.at(-1)!;
    expect(revenue).toMatchObject({
      amount: '1000000',
      txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) as unknown,
      logIndex: expect.any(Number) as unknown,
    });
    expect(all.body.next).toBeNull();
    const page = await get('/v1/accounting/events?after=0&limit=4');
    expect(page.body.next).toBe(events[3]!.seq);
    const state = await get(`/v1/state/${firstBlock}`);
    expect(state.body.eventSeq).toBe(revenue.seq);
    expect((await get('/v1/accounting/events?limit=1001')).status).toBe(400);
  });

  it('replays the honest log into exactly the published totals', async () => {
    const report = await validate(validateOptions());
    expect(report).toMatchObject({ ok: true, checked: [firstBlock] });
  });

  it('catches a revenue event whose amount was changed', async () => {
    await withTampered(
      `UPDATE monoplasma_events SET event = jsonb_set(event, '{amount}', '"999999"')
       WHERE event ->> 'type' = $1`,
      ['revenue-received'],
      `UPDATE monoplasma_events SET event = jsonb_set(event, '{amount}', '"1000000"')
       WHERE event ->> 'type' = 'revenue-received'`,
      async () => {
        const report = await validate(validateOptions());
        expect(report.ok).toBe(false);
        expect(report.problem).toMatch(
          /^Event \d+ \(revenue 0x[0-9a-f]+:\d+\): the log credits 999999 but the chain transferred 1000000\.$/,
        );
      },
    );
  });

  it('catches a revenue transfer missing from the log', async () => {
    const saved = await db.query<{ seq: number; event: unknown; block_number: number }>(
      `SELECT seq, event, block_number FROM monoplasma_events WHERE event ->> 'type' = 'revenue-received'`,
    );
    const row = saved.rows[0]!;
    await withTampered(
      'DELETE FROM monoplasma_events WHERE seq = $1',
      [row.seq],
      `INSERT INTO monoplasma_events (seq, event, block_number)
       VALUES (${row.seq}, '${JSON.stringify(row.event)}'::jsonb, ${row.block_number})`,
      async () => {
        const report = await validate(validateOptions());
        expect(report.ok).toBe(false);
        expect(report.problem).toMatch(
          new RegExp(
            `^Root of block ${firstBlock}: the transfer 0x[0-9a-f]+:\\d+ of 1000000 into the DataUnion \\(block \\d+\\) is missing from the events it includes`,
          ),
        );
      },
    );
    expect((await validate(validateOptions())).ok).toBe(true);
  });

  let badBlock = 0;

  it('catches a dishonest snapshot whose root matches but whose totals do not follow from the log', async () => {
    await purchase(100n); // 100,000: 10,000 fee, 45,000 each
    await server.monoplasma!.watch();
    // What a compromised operator could do: shift 5,000 from B to A (both still grow, the sum
    // is unchanged) and commit the matching root.
    badBlock = await commitDishonestRoot(db, provider, deployment, {
      from: memberB,
      to: memberA,
      amount: 5000n,
    });

    const report = await validate(validateOptions());
    expect(report.ok).toBe(false);
    // The first leaf that differs in published order (the books' order: first join, and A and
    // B may join in one second or two) is named.
    const order = Object.keys(totalsRecord((await monoplasmaRepo.snapshotLeaves(db, badBlock))!));
    const aFirst = order.indexOf(memberA) < order.indexOf(memberB);
    const [first, published] = aFirst ? [memberA, 500000] : [memberB, 490000];
    expect(report.problem).toBe(
      `Root of block ${badBlock}: replaying events up to ${await monoplasmaRepo.lastEventSeq(db)} gives ${first} a total of 495000, but the published state says ${published}.`,
    );
    const own = await server.monoplasma!.validateOwn();
    // The own check resumes after the first root (its checkpoint): the bad root is the only
    // one it examines, and it fails.
    expect(own).toMatchObject({ ok: false, blockNumber: badBlock, commitsChecked: 0 });
    expect((await get('/v1/validator/status')).body.lastRun).toMatchObject({
      ok: false,
      blockNumber: badBlock,
      problem: report.problem,
    });
  });

  it('skips the revoked root; earnings never use it and the committer commits a fresh root', async () => {
    const admin = dataUnionAt(deployment.dataUnion, signerFor(devAccount(0).privateKey, provider));
    await (await admin.revoke(badBlock)).wait();
    expect(await validate(validateOptions())).toMatchObject({ ok: true, checked: [firstBlock] });

    await provider.send('evm_increaseTime', [Number(FREEZE) + 1]);
    await provider.send('evm_mine', []);
    // The revoked root would be usable by now were it not revoked: proofs use the first one.
    const proof = await get(`/v1/members/${memberA}/proof`);
    expect(proof.body).toMatchObject({ blockNumber: firstBlock, totalEarnings: '450000' });

    // Nothing changed in the books, but the newest root is revoked: commit again.
    const again = await server.monoplasma!.commit();
    if (!again.committed) throw new Error(`no commit: ${again.reason}`);
    expect(again.blockNumber).toBeGreaterThan(badBlock);
    expect((await get(`/v1/state/${again.blockNumber}`)).body.members).toContainEqual({
      address: memberA,
      total: '495000',
    });
    expect((await get('/v1/validator/status')).body.lastRun).toMatchObject({
      ok: true,
      blockNumber: again.blockNumber,
      // Checked from the checkpoint at the first root (the revoked one never became one).
      commitsChecked: 1,
    });
    // Bounded runs rebuild only the newest roots, but still replay the whole log.
    expect(await validate({ ...validateOptions(), lastRoots: 1 })).toMatchObject({
      ok: true,
      checked: [again.blockNumber],
    });
  });

  it('stops the Merkle worker threads when the union closes', async () => {
    const pool = merkleWorkerPool(2);
    await pool.ready();
    await server.close();
    // The closed pool left the process-wide registry: the next build would start a new one.
    const next = merkleWorkerPool(2);
    expect(next).not.toBe(pool);
    await next.close();
  });
});
