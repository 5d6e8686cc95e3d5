/**
 * The union's own validator resumes from its checkpoint (issue 19): after a commit it fetches and
 * replays only the events after the last checked root, a restart resumes from the stored
 * checkpoint, and a dishonest root or a tampered new event is still caught on that path.
 * Real in-process EVM and PGlite.
 */
import type { JsonRpcProvider } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Deployment } from '../../contracts/deploy.ts';
import { createUnionServer, type UnionServer } from '../app.ts';
import type { ValidatorCheckpoint } from '../chain/validator-checkpoint.ts';
import { validate } from '../chain/validator.ts';
import type { Db } from '../db/db.ts';
import { monoplasmaRepo } from '../repo/monoplasma-repo.ts';
import { validatorCheckpointRepo } from '../repo/validator-checkpoint-repo.ts';
import {
  insertActiveMember,
  startChainFixture,
  type ChainFixture,
} from '../test-support/chain-fixture.ts';
import { commitDishonestRoot } from '../test-support/dishonest-root.ts';
import { randomWallet } from '../test-support/fixtures.ts';
import { checkpointValues } from '../test-support/checkpoint-values.ts';
import { freshPglite } from '../test-support/pglite-template.ts';

let fx: ChainFixture;
let provider: JsonRpcProvider;
let deployment: Deployment;
let db: Db;
let server: UnionServer;
const memberA = randomWallet().address.toLowerCase();
const memberB = randomWallet().address.toLowerCase();

async function commit(): Promise<number> {
  const result = await server.monoplasma!.commit();
  if (!result.committed) throw new Error(`no commit: ${result.reason}`);
  return result.blockNumber;
}

function storedCheckpoint(): Promise<ValidatorCheckpoint | null> {
  return validatorCheckpointRepo.load(db);
}

/** validate() as the own check runs it, recording the URLs it reads. */
async function validateFrom(resume: ValidatorCheckpoint | undefined, urls: string[]) {
  return validate({
    rpcUrl: '',
    provider,
    dataUnion: deployment.dataUnion,
    replay: true,
    ...(resume ? { resume } : {}),
    fetchJson: async (url: string) => {
      const { pathname, search } = new URL(url);
      urls.push(pathname + search);
      const res = await server.app.inject({ method: 'GET', url: pathname + search });
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      return res.json<unknown>();
    },
  });
}

beforeAll(async () => {
  fx = await startChainFixture({ freezePeriodSeconds: 3600n });
  ({ provider, deployment } = fx);
  db = await freshPglite();
  await insertActiveMember(db, memberA, { at: fx.now() });
  await insertActiveMember(db, memberB, { at: fx.now() });
  server = await createUnionServer({ ...fx.unionOptions(), db });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
  await fx?.close();
});

describe('the own validator, incremental', () => {
  let first: ValidatorCheckpoint;

  it('stores a checkpoint with the first checked root, its event position and the replayed state', async () => {
    expect(await storedCheckpoint()).toBeNull();
    await fx.purchase(1000n);
    const block = await commit();
    const checkpoint = await storedCheckpoint();
    expect(checkpoint).toMatchObject({
      blockNumber: block,
      eventSeq: await monoplasmaRepo.lastEventSeq(db),
      logSeq: await monoplasmaRepo.lastEventSeq(db),
    });
    expect(checkpoint!.membership.toJSON().pending).toEqual([]);
    expect(checkpoint!.accounting.totalRevenue).toBe(1000000n);
    first = checkpoint!;
  });

  it('after the next commit reads only the events and membership entries after the checkpoint', async () => {
    await fx.purchase(100n);
    await server.monoplasma!.watch();
    const urls: string[] = [];
    const report = await validateFrom(first, urls);
    const state = await monoplasmaRepo.state(db);
    expect(report.ok).toBe(true);
    expect(report.checked).toEqual([]); // nothing committed since
    expect(report.checkpoint).toBe(first); // nothing moved on
    expect(state?.cursorBlock).toBeGreaterThan(first.blockNumber);

    const block = await commit();
    const firstPosition = { eventSeq: first.eventSeq, after: first.membership.after };
    const again = await validateFrom(first, urls);
    expect(again).toMatchObject({ ok: true, checked: [block] });
    expect(urls.filter((u) => u.startsWith('/v1/accounting/events'))).toEqual([
      `/v1/accounting/events?after=${firstPosition.eventSeq}&limit=1000`,
    ]);
    expect(urls.filter((u) => u.startsWith('/v1/membership-log'))).toEqual([
      `/v1/membership-log?after=${firstPosition.after}&limit=1000`,
    ]);
    // The same verdict and the same state as checking from the first event.
    const full = await validateFrom(undefined, []);
    expect(full).toMatchObject({ ok: true, checked: [first.blockNumber, block] });
    expect(checkpointValues(again.checkpoint)).toEqual(checkpointValues(full.checkpoint));
    // The own check after that commit stored exactly this checkpoint and checked one root.
    expect(checkpointValues(await storedCheckpoint())).toEqual(checkpointValues(full.checkpoint));
    expect(await monoplasmaRepo.validatorStatus(db)).toMatchObject({
      ok: true,
      blockNumber: block,
      commitsChecked: 1,
    });
  });

  it('a restarted union resumes from the stored checkpoint', async () => {
    const before = (await storedCheckpoint())!;
    await server.close();
    server = await createUnionServer({ ...fx.unionOptions(), db });
    await fx.purchase(10n);
    const block = await commit();
    expect(await monoplasmaRepo.validatorStatus(db)).toMatchObject({
      ok: true,
      blockNumber: block,
      commitsChecked: 1,
    });
    const after = (await storedCheckpoint())!;
    expect(after.blockNumber).toBe(block);
    expect(after.eventSeq).toBeGreaterThan(before.eventSeq);
  });

  it('catches a dishonest root committed after the checkpoint, and keeps the checkpoint', async () => {
    const before = checkpointValues(await storedCheckpoint());
    await fx.purchase(100n);
    await server.monoplasma!.watch();
    const bad = await commitDishonestRoot(db, provider, deployment, {
      from: memberB,
      to: memberA,
      amount: 5000n,
    });
    const own = await server.monoplasma!.validateOwn();
    expect(own).toMatchObject({ ok: false, blockNumber: bad, commitsChecked: 0 });
    expect(own?.problem).toMatch(
      new RegExp(
        `^Root of block ${bad}: replaying events up to \\d+ gives 0x[0-9a-f]{40} a total of \\d+, but the published state says \\d+\\.$`,
      ),
    );
    expect(checkpointValues(await storedCheckpoint())).toEqual(before);
    // Every later run still starts from the last clean root, so the mismatch stays reported.
    expect(await server.monoplasma!.validateOwn()).toMatchObject({ ok: false, blockNumber: bad });
  });

  it('catches a new revenue event whose amount was changed', async () => {
    const checkpoint = (await storedCheckpoint())!;
    const newest = await db.query<{ seq: number }>(
      `SELECT max(seq) AS seq FROM monoplasma_events WHERE event ->> 'type' = 'revenue-received'`,
    );
    const seq = newest.rows[0]!.seq;
    expect(seq).toBeGreaterThan(checkpoint.logSeq);
    await db.query(
      `UPDATE monoplasma_events SET event = jsonb_set(event, '{amount}', '"99"') WHERE seq = $1`,
      [seq],
    );
    const report = await validateFrom(checkpoint, []);
    expect(report.ok).toBe(false);
    expect(report.problem).toMatch(
      new RegExp(
        `^Event ${seq} \\(revenue 0x[0-9a-f]+:\\d+\\): the log credits 99 but the chain transferred \\d+\\.$`,
      ),
    );
  });
});
