/** The `members` table: one row per address that ever asked to join. */
import type { Queryable } from '../db/db.ts';
import type { MemberStatus } from '../domain/membership-rules.ts';
import { toDate, toDateOrNull } from './rows.ts';

export interface MemberRow {
  address: string;
  status: MemberStatus;
  requestedAt: Date;
  joinedAt: Date | null;
  statusChangedAt: Date;
  lastReportAt: Date | null;
}

interface RawMember {
  address: string;
  status: MemberStatus;
  requested_at: unknown;
  joined_at: unknown;
  status_changed_at: unknown;
  last_report_at: unknown;
}

const COLUMNS = 'address, status, requested_at, joined_at, status_changed_at, last_report_at';

const fromRaw = (r: RawMember): MemberRow => ({
  address: r.address,
  status: r.status,
  requestedAt: toDate(r.requested_at),
  joinedAt: toDateOrNull(r.joined_at),
  statusChangedAt: toDate(r.status_changed_at),
  lastReportAt: toDateOrNull(r.last_report_at),
});

export const membersRepo = {
  async find(q: Queryable, address: string, forUpdate = false): Promise<MemberRow | null> {
    const { rows } = await q.query<RawMember>(
      `SELECT ${COLUMNS} FROM members WHERE address = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [address],
    );
    return rows[0] ? fromRaw(rows[0]) : null;
  },

  /** The rows of these addresses. */
  async findMany(q: Queryable, addresses: readonly string[]): Promise<MemberRow[]> {
    const { rows } = await q.query<RawMember>(
      `SELECT ${COLUMNS} FROM members WHERE address = ANY($1::text[])`,
      [addresses],
    );
    return rows.map(fromRaw);
  },

  /** `save` for many members (distinct addresses) in one statement. */
  async saveMany(
    q: Queryable,
    saves: readonly { row: MemberRow; secretId: string | null }[],
  ): Promise<void> {
    if (saves.length === 0) return;
    await q.query(
      `INSERT INTO members (address, status, requested_at, joined_at, status_changed_at, secret_id)
       SELECT address, status, requested_at, joined_at, status_changed_at, secret_id
       FROM json_to_recordset($1::json) AS u(address text, status text,
         requested_at timestamptz, joined_at timestamptz, status_changed_at timestamptz,
         secret_id text)
       ON CONFLICT (address) DO UPDATE SET status = excluded.status,
         requested_at = excluded.requested_at, joined_at = excluded.joined_at,
         status_changed_at = excluded.status_changed_at,
         secret_id = COALESCE(excluded.secret_id, members.secret_id)`,
      [
        JSON.stringify(
          saves.map(({ row, secretId }) => ({
            address: row.address,
            status: row.status,
            requested_at: row.requestedAt.toISOString(),
            joined_at: row.joinedAt?.toISOString() ?? null,
            status_changed_at: row.statusChangedAt.toISOString(),
            secret_id: secretId,
          })),
        ),
      ],
    );
  },

  async save(q: Queryable, row: MemberRow, secretId: string | null = null): Promise<void> {
    await q.query(
      `INSERT INTO members (address, status, requested_at, joined_at, status_changed_at, secret_id)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (address) DO UPDATE SET status = excluded.status,
         requested_at = excluded.requested_at, joined_at = excluded.joined_at,
         status_changed_at = excluded.status_changed_at,
         secret_id = COALESCE(excluded.secret_id, members.secret_id)`,
      [row.address, row.status, row.requestedAt, row.joinedAt, row.statusChangedAt, secretId],
    );
  },

  async list(
    q: Queryable,
    filter: { status?: MemberStatus | undefined; after?: string | undefined; limit: number },
  ): Promise<MemberRow[]> {
    const { rows } = await q.query<RawMember>(
      `SELECT ${COLUMNS} FROM members
       WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR address > $2)
       ORDER BY address LIMIT $3`,
      [filter.status ?? null, filter.after ?? null, filter.limit],
    );
    return rows.map(fromRaw);
  },
};
