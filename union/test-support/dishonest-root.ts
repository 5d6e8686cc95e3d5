/**
 * What a compromised operator could do, for validator tests: take the union's current books,
 * move `shift` token units from one member's leaf to another's (the sum is unchanged, the root
 * matches the published totals), store that snapshot and commit its root on chain.
 */
import type { JsonRpcProvider } from 'ethers';

import { devAccount, signerFor } from '../../contracts/chain.ts';
import type { Deployment } from '../../contracts/deploy.ts';
import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import type { Db } from '../db/db.ts';
import { stateUri } from '../jobs/committer.ts';
import { treeEntries } from '../monoplasma/accounting.ts';
import { buildTree, packEntries } from '../monoplasma/merkle.ts';
import { booksRepo } from '../repo/books-repo.ts';
import { monoplasmaRepo } from '../repo/monoplasma-repo.ts';

/** Commits the shifted root at the watcher's cursor block; returns that block. */
export async function commitDishonestRoot(
  db: Db,
  provider: JsonRpcProvider,
  deployment: Deployment,
  shift: { from: string; to: string; amount: bigint },
): Promise<number> {
  const state = (await monoplasmaRepo.state(db))!;
  const snapshot = (await booksRepo.load(db, state.accounting)).snapshot();
  const entries = treeEntries(snapshot, deployment.admin).map((e) => ({
    address: e.address,
    total:
      e.total +
      (e.address === shift.to ? shift.amount : e.address === shift.from ? -shift.amount : 0n),
  }));
  const leaves = packEntries(entries);
  const tree = await buildTree(leaves);
  const block = state.cursorBlock;
  await monoplasmaRepo.insertSnapshot(db, {
    blockNumber: block,
    root: tree.root,
    leaves,
    adminAddress: deployment.admin.toLowerCase(),
    adminTotal: snapshot.adminTotal.toString(),
    totalRevenue: snapshot.totalRevenue.toString(),
    eventSeq: await monoplasmaRepo.lastEventSeq(db),
  });
  await monoplasmaRepo.markSnapshot(db, block, 'committed', null);
  await monoplasmaRepo.setChanged(db, false);
  const operator = dataUnionAt(deployment.dataUnion, signerFor(devAccount(0).privateKey, provider));
  await (await operator.commit(block, tree.root, stateUri('http://union.example', block))).wait();
  tree.dispose();
  return block;
}
