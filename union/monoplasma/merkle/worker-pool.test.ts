import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { buildTree } from '../merkle.ts';
import { randomEntries, referenceTree } from './test-helpers.ts';
import { closeMerkleWorkers, merkleWorkerPool } from './worker-pool.ts';

afterAll(closeMerkleWorkers);

const onWorkers = { threads: 2, parallelThreshold: 1, levelSplitNodes: 4, packChunk: 16 } as const;

describe('the Merkle worker pool', () => {
  it('reports a job that throws inside a worker as MERKLE_WORKER_FAILED and keeps working', async () => {
    const pool = merkleWorkerPool(2);
    const tooSmall = new Uint8Array(new SharedArrayBuffer(32));
    const job = {
      kind: 'leaves',
      addresses: new Uint8Array(new SharedArrayBuffer(40)),
      totals: new Uint8Array(new SharedArrayBuffer(64)),
      out: tooSmall, // room for one leaf hash, asked for two
      keyWords: new Uint32Array(new SharedArrayBuffer(16)),
      from: 0,
      to: 2,
    } as const;
    await expect(pool.runOn(0, job)).rejects.toMatchObject({ code: 'MERKLE_WORKER_FAILED' });
    const entries = randomEntries(50, 12);
    expect((await buildTree(entries, onWorkers)).root).toBe(referenceTree(entries).root);
  });

  it('builds several trees at once on the shared workers without mixing them up', async () => {
    const lists = [30, 31, 64, 100].map((n) => randomEntries(n, n));
    const trees = await Promise.all(lists.map((list) => buildTree(list, onWorkers)));
    trees.forEach((tree, i) => expect(tree.root).toBe(referenceTree(lists[i]!).root));
  });

  it('fails a build in flight when the pool closes, instead of leaving it waiting for ever', async () => {
    await closeMerkleWorkers();
    const pool = merkleWorkerPool(2); // its threads are still starting
    const job = pool.runOn(0, {
      kind: 'leaves',
      addresses: new Uint8Array(new SharedArrayBuffer(20)),
      totals: new Uint8Array(new SharedArrayBuffer(32)),
      out: new Uint8Array(new SharedArrayBuffer(32)),
      keyWords: new Uint32Array(new SharedArrayBuffer(8)),
      from: 0,
      to: 1,
    });
    const refused = expect(job).rejects.toMatchObject({ code: 'MERKLE_WORKER_FAILED' });
    await closeMerkleWorkers();
    await refused;
    const entries = randomEntries(40, 15);
    expect((await buildTree(entries, onWorkers)).root).toBe(referenceTree(entries).root);
  });

  it('lets the process exit once a build is done, without an explicit shutdown', () => {
    const merkle = fileURLToPath(new URL('../merkle.ts', import.meta.url));
    const script = `
      const { buildTree } = await import(${JSON.stringify(merkle)});
      const entries = Array.from({ length: 100 }, (_, i) => ({ address: '0x' + i.toString(16).padStart(40, '0'), total: BigInt(i) }));
      const tree = await buildTree(entries, { threads: 2, parallelThreshold: 1 });
      console.log(tree.root);`;
    const output = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        timeout: 20_000,
      },
    );
    expect(output.trim()).toMatch(/^0x[0-9a-f]{64}$/);
  });
});
