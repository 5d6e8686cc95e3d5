/**
 * SQL for the books' members (migration 0010): one row per member, in order of first join. The
 * header (everything else, small) stays in `monoplasma_state.accounting` with the cursor
 * (monoplasma-repo.ts); a tick writes the header and only the members it touched, in one
 * transaction, so a restored state equals the live one (docs/monoplasma.md §4).
 */
import type { Queryable } from '../db/db.ts';
import { MonoplasmaAccounting } from '../monoplasma/accounting.ts';
import type { ChangedMember } from '../monoplasma/accounting/monoplasma-accounting.ts';
import { memberTotal, type MemberJson, type MemberStatus } from '../monoplasma/accounting/state.ts';

/** Members per statement when writing many (the first tick after a burst of joins). */
const WRITE_BATCH = 20_000;

type MemberRow = [string, MemberStatus, number, boolean, boolean, string, string];

const memberColumns = 'address, status, joined_at, active, matured, settled, entry';

function columns(members: readonly MemberJson[]) {
  return [
    members.map((m) => m[0]),
    members.map((m) => m[1]),
    members.map((m) => m[2]),
    members.map((m) => m[3]),
    members.map((m) => m[4]),
    members.map((m) => m[5]),
    members.map((m) => m[6]),
  ];
}

export const booksRepo = {
  /** The books from the stored header (`monoplasma_state.accounting`) and the member rows. */
  async load(q: Queryable, header: unknown): Promise<MonoplasmaAccounting> {
    const r = await q.query<{ m: MemberRow }>(
      `SELECT json_build_array(${memberColumns}) AS m FROM monoplasma_members ORDER BY position`,
    );
    const members = r.rows.map((row) => row.m);
    return MonoplasmaAccounting.fromJSON({ ...(header as object), members });
  },

  /**
   * The rows written by saves after `version`, in position order, and the header they go with:
   * what brings books held at `version` up to date (MonoplasmaAccounting#catchUp).
   */
  async changedSince(q: Queryable, version: number): Promise<ChangedMember[]> {
    const r = await q.query<{ position: number; m: MemberRow }>(
      `SELECT position, json_build_array(${memberColumns}) AS m FROM monoplasma_members
       WHERE version > $1 ORDER BY position`,
      [version],
    );
    return r.rows.map((row) => ({ position: row.position, member: row.m }));
  },

  /**
   * Writes the members a tick touched, marked with the `version` its header save returned; call
   * in the transaction of that save.
   */
  async saveMembers(
    tx: Queryable,
    changed: readonly ChangedMember[],
    version: number,
  ): Promise<void> {
    for (let from = 0; from < changed.length; from += WRITE_BATCH) {
      const batch = changed.slice(from, from + WRITE_BATCH);
      const fresh = batch.filter((c) => c.position !== null);
      const known = batch.filter((c) => c.position === null);
      if (fresh.length > 0) {
        await tx.query(
          `INSERT INTO monoplasma_members (position, ${memberColumns}, version)
           SELECT *, $9::bigint FROM unnest($1::int[], $2::text[], $3::text[], $4::bigint[],
             $5::boolean[], $6::boolean[], $7::text[], $8::text[])`,
          [fresh.map((c) => c.position), ...columns(fresh.map((c) => c.member)), version],
        );
      }
      if (known.length > 0) {
        await tx.query(
          `UPDATE monoplasma_members m SET status = u.status, joined_at = u.joined_at,
             active = u.active, matured = u.matured, settled = u.settled, entry = u.entry,
             version = $8
           FROM unnest($1::text[], $2::text[], $3::bigint[], $4::boolean[], $5::boolean[],
             $6::text[], $7::text[]) AS u(${memberColumns})
           WHERE m.address = u.address`,
          [...columns(known.map((c) => c.member)), version],
        );
      }
    }
  },

  /**
   * One member's total in the stored books (0 for a stranger) and the admin's fees: two indexed
   * reads, whatever the member count — the same value `MonoplasmaAccounting#totalOf` gives.
   */
  async totalOf(q: Queryable, address: string): Promise<{ total: bigint; adminTotal: bigint }> {
    const r = await q.query<{ eps: string; admin: string; m: MemberRow | null }>(
      `SELECT s.accounting ->> 'earningsPerShare' AS eps, s.accounting ->> 'adminTotal' AS admin,
         (SELECT json_build_array(${memberColumns}) FROM monoplasma_members WHERE address = $1) AS m
       FROM monoplasma_state s WHERE s.id = 1`,
      [address.toLowerCase()],
    );
    const row = r.rows[0];
    if (!row) return { total: 0n, adminTotal: 0n };
    const m = row.m;
    const total =
      m === null
        ? 0n
        : memberTotal(
            {
              status: m[1],
              joinedAt: m[2],
              active: m[3],
              matured: m[4],
              settled: BigInt(m[5]),
              entryEarningsPerShare: BigInt(m[6]),
            },
            BigInt(row.eps),
          );
    return { total, adminTotal: BigInt(row.admin) };
  },
};
