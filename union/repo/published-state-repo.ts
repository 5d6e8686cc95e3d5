/**
 * A snapshot's published fields without its leaves (those: `monoplasmaRepo.snapshotLeaves`), for
 * the state document (services/published-state.ts), which renders the leaves itself in one pass.
 */
import type { Queryable } from '../db/db.ts';
import type { SnapshotRow } from './monoplasma-repo.ts';

export type SnapshotHeader = Omit<SnapshotRow, 'totals'>;

export const publishedStateRepo = {
  async header(q: Queryable, block: number): Promise<SnapshotHeader | null> {
    const r = await q.query<SnapshotHeader>(
      `SELECT block_number AS "blockNumber", root, admin_address AS "adminAddress",
         admin_total AS "adminTotal", total_revenue AS "totalRevenue", status, tx_hash AS "txHash",
         event_seq AS "eventSeq"
       FROM monoplasma_snapshots WHERE block_number = $1`,
      [block],
    );
    return r.rows[0] ?? null;
  },
};
