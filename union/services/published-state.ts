/**
 * The published state of a root (`GET /v1/state/:block`): read once from the stored snapshot
 * (its fields, and its leaves packed as the Merkle tree hashes them), and rendered as the JSON
 * document in one pass over the leaves. The route sends `stateDocument(publishedState(…))`; the
 * union's own validator checks the same `publishedState(…)` in-process (no JSON round trip), so
 * what it checks is what the document is made of.
 */
import { unpackLeaves, type PackedState } from '../chain/root-state.ts';
import type { Queryable } from '../db/db.ts';
import { monoplasmaRepo, type SnapshotRow } from '../repo/monoplasma-repo.ts';

export interface PublishedState extends PackedState {
  blockNumber: number;
  status: SnapshotRow['status'];
  txHash: string | null;
  admin: string;
  adminTotal: string;
  totalRevenue: string;
  eventSeq: number | null;
}

export interface PublishedStateDocument extends Omit<PublishedState, 'leaves'> {
  /** Every leaf, in leaf order: lower-case address, total as decimal text. */
  members: { address: string; total: string }[];
}

/** The state of `block`, or null when there is no snapshot of that block. */
export async function publishedState(q: Queryable, block: number): Promise<PublishedState | null> {
  const s = await monoplasmaRepo.snapshotHeader(q, block);
  const leaves = s && (await monoplasmaRepo.snapshotLeaves(q, block));
  if (!s || !leaves) return null;
  return {
    blockNumber: s.blockNumber,
    root: s.root,
    status: s.status,
    txHash: s.txHash,
    admin: s.adminAddress,
    adminTotal: s.adminTotal,
    totalRevenue: s.totalRevenue,
    eventSeq: s.eventSeq,
    leaves,
  };
}

/** The JSON document of a published state. */
export function stateDocument(state: PublishedState): PublishedStateDocument {
  const { leaves, ...fields } = state;
  return {
    ...fields,
    members: unpackLeaves(leaves).map(({ address, total }) => ({
      address,
      total: total.toString(),
    })),
  };
}
