/**
 * The published state of a root (`GET /v1/state/:block`): the one function that builds the
 * document from the stored snapshot. The route sends it as JSON; the union's own validator reads
 * the same object in-process (no JSON round trip), so what it checks is what is published.
 */
import type { Queryable } from '../db/db.ts';
import { monoplasmaRepo } from '../repo/monoplasma-repo.ts';

export interface PublishedStateDocument {
  blockNumber: number;
  root: string;
  status: 'pending' | 'committed' | 'failed';
  txHash: string | null;
  admin: string;
  adminTotal: string;
  totalRevenue: string;
  eventSeq: number | null;
  /** Every leaf, in leaf order. */
  members: { address: string; total: string }[];
}

/** The document for `block`, or null when there is no snapshot of that block. */
export async function publishedState(
  q: Queryable,
  block: number,
): Promise<PublishedStateDocument | null> {
  const s = await monoplasmaRepo.snapshot(q, block);
  if (!s) return null;
  return {
    blockNumber: s.blockNumber,
    root: s.root,
    status: s.status,
    txHash: s.txHash,
    admin: s.adminAddress,
    adminTotal: s.adminTotal,
    totalRevenue: s.totalRevenue,
    eventSeq: s.eventSeq,
    members: Object.entries(s.totals).map(([address, total]) => ({ address, total })),
  };
}
