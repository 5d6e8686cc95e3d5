/**
 * Contributions for payouts (the seam the union's accounting reads): each (member, epoch) whose
 * signed report both aggregators finished. The leader's `report_aggregations` row is `finished`
 * only when the helper answered `continue` with its preparation message and the leader's own
 * preparation then finished (a helper `reject`, or a leader failure, leaves it `failed`), so a
 * finished row means the report passed preparation on both aggregators.
 */
import type { Queryable } from '../../../shared-db/db.ts';
import type { MemberEpoch } from '../../membership/verify-member-report.ts';

/** Where a page starts: after this (epoch, member), in the listing's order. */
export interface ContributionsPage {
  readonly after?: MemberEpoch | null;
  readonly limit?: number;
}

/**
 * The finished contributions of epochs starting in [from, to), by epoch then member (a stable
 * order: the union pages through it); `page` starts after a given one and takes at most `limit`.
 */
export async function memberContributions(
  q: Queryable,
  taskId: Uint8Array,
  from: number,
  to: number,
  page: ContributionsPage = {},
): Promise<MemberEpoch[]> {
  const after = page.after ?? null;
  const { rows } = await q.query<{ member: string; epoch: number | string }>(
    `SELECT mr.member, mr.epoch FROM member_reports mr
     JOIN report_aggregations ra ON ra.task_id = mr.task_id AND ra.report_id = mr.report_id
     WHERE mr.task_id = $1 AND mr.epoch >= $2 AND mr.epoch < $3 AND ra.state = 'finished'
       AND ($4::bigint IS NULL OR (mr.epoch, mr.member) > ($4::bigint, $5::text))
     ORDER BY mr.epoch, mr.member
     LIMIT $6`,
    [taskId, from, to, after?.epoch ?? null, after?.member ?? null, page.limit ?? null],
  );
  return rows.map((row) => ({ member: row.member, epoch: Number(row.epoch) }));
}
