/**
 * SQL for the Monoplasma tables (migrations 0002, 0004, 0010): the books' header + cursor, the
 * event log, transfers, snapshots (leaves packed in pages) and the union's own validator status
 * (the books' members: books-repo.ts, withdrawals: withdrawals-repo.ts, usable roots:
 * roots-repo.ts).
 */
import type { Db, Queryable } from '../db/db.ts';
import { packEntries, type PackedEntries } from '../monoplasma/merkle.ts';
import { fromPages, toPages, type SnapshotPage } from '../monoplasma/snapshot-pages.ts';

export interface StateRow {
  cursorBlock: number;
  /** The books' header: the accounting state without its members (books-repo.ts holds them). */
  accounting: unknown;
  version: number;
  changed: boolean;
}

/** A snapshot's fields without its leaves (those: `snapshotLeaves`). */
export interface SnapshotRow {
  blockNumber: number;
  root: string;
  adminAddress: string;
  adminTotal: string;
  totalRevenue: string;
  status: 'pending' | 'committed' | 'failed';
  txHash: string | null;
  /** The last event seq this snapshot includes (null before migration 0004). */
  eventSeq: number | null;
}

/** One accounting input, as stored: the event JSON and the chain block it belongs to. */
export interface EventRow {
  seq: number;
  blockNumber: number | null;
  event: Record<string, unknown>;
}

/** The union's latest run of its own validator (GET /v1/validator/status). */
export interface ValidatorStatusRow {
  blockNumber: number;
  root: string;
  ok: boolean;
  problem: string | null;
  checkedAt: Date;
  commitsChecked: number;
}

/** Arbitrary, fixed: the revenue watcher's and committer's singleton lock ("mono"). */
export const MONOPLASMA_LOCK = 0x6d6f6e6f;
/** Arbitrary, fixed, not MONOPLASMA_LOCK: held around every send with the operator key ("oper"). */
export const OPERATOR_KEY_LOCK = 0x6f706572;

/** Events per insert statement (appendEvents). */
const EVENT_BATCH = 50_000;

/** A snapshot as stored: the leaves as packed pages (or, before migration 0010, JSON totals). */
type StoredSnapshot = SnapshotRow & { totals: Record<string, string> | null };

const headerCols = `block_number AS "blockNumber", root, admin_address AS "adminAddress",
  admin_total AS "adminTotal", total_revenue AS "totalRevenue", status, tx_hash AS "txHash",
  event_seq AS "eventSeq"`;

export const monoplasmaRepo = {
  /** True if this transaction holds the singleton lock (released at commit/rollback). */
  async tryLock(tx: Queryable): Promise<boolean> {
    const r = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [
      MONOPLASMA_LOCK,
    ]);
    return r.rows[0]?.ok === true;
  },

  /** Waits until this transaction holds the operator-key lock (released at commit/rollback). */
  async lockOperatorKey(tx: Queryable): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [OPERATOR_KEY_LOCK]);
  },

  async state(tx: Queryable, forUpdate = false): Promise<StateRow | null> {
    const r = await tx.query<StateRow>(
      `SELECT cursor_block AS "cursorBlock", accounting, version, changed
       FROM monoplasma_state WHERE id = 1${forUpdate ? ' FOR UPDATE' : ''}`,
    );
    return r.rows[0] ?? null;
  },

  /**
   * Writes the header and cursor (the members a tick touched go with it, booksRepo); returns
   * the version written.
   */
  async saveState(
    tx: Queryable,
    cursorBlock: number,
    accounting: unknown,
    changed: boolean,
  ): Promise<number> {
    const r = await tx.query<{ version: number }>(
      `INSERT INTO monoplasma_state (id, cursor_block, accounting, changed) VALUES (1, $1, $2::jsonb, $3)
       ON CONFLICT (id) DO UPDATE SET cursor_block = $1, accounting = $2::jsonb,
         changed = monoplasma_state.changed OR $3, version = monoplasma_state.version + 1,
         updated_at = now()
       RETURNING version`,
      [cursorBlock, JSON.stringify(accounting), changed],
    );
    return r.rows[0]!.version;
  },

  async setChanged(tx: Queryable, changed: boolean) {
    await tx.query('UPDATE monoplasma_state SET changed = $1 WHERE id = 1', [changed]);
  },

  /**
   * Appends events in order; `blockNumber` as in EventRow (see migration 0004). In statements of
   * at most EVENT_BATCH events: a million joins in one tick would pass jsonb's 255 MB limit.
   */
  async appendEvents(
    tx: Queryable,
    events: readonly { event: unknown; blockNumber: number | null }[],
  ) {
    for (let from = 0; from < events.length; from += EVENT_BATCH) {
      await tx.query(
        `INSERT INTO monoplasma_events (event, block_number)
         SELECT e -> 'event', (e ->> 'blockNumber')::bigint
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY n`,
        [JSON.stringify(events.slice(from, from + EVENT_BATCH))],
      );
    }
  },

  /** Events with seq > `after`, in order, at most `limit`. */
  async eventsPage(q: Queryable, after: number, limit: number): Promise<EventRow[]> {
    const r = await q.query<EventRow>(
      `SELECT seq, block_number AS "blockNumber", event FROM monoplasma_events
       WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [after, limit],
    );
    return r.rows;
  },

  /** The seq of the newest event (0 when there is none). */
  async lastEventSeq(q: Queryable): Promise<number> {
    const r = await q.query<{ s: number | null }>('SELECT max(seq) AS s FROM monoplasma_events');
    return r.rows[0]?.s ?? 0;
  },

  /** False when this transfer was already recorded (exactly-once). */
  async insertTransfer(
    tx: Queryable,
    t: { txHash: string; logIndex: number; blockNumber: number; sender: string; amount: bigint },
  ): Promise<boolean> {
    const r = await tx.query(
      `INSERT INTO revenue_transfers (tx_hash, log_index, block_number, sender, amount)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [t.txHash, t.logIndex, t.blockNumber, t.sender, t.amount.toString()],
    );
    return r.rowCount === 1;
  },

  /** Stores a pending snapshot: its row, then its leaves (what the root was built from). */
  async insertSnapshot(
    tx: Queryable,
    s: Omit<SnapshotRow, 'status' | 'txHash'> & { leaves: PackedEntries },
  ) {
    await tx.query(
      `INSERT INTO monoplasma_snapshots
         (block_number, root, totals, admin_address, admin_total, total_revenue, status, event_seq)
       VALUES ($1, $2, NULL, $3, $4, $5, 'pending', $6)`,
      [s.blockNumber, s.root, s.adminAddress, s.adminTotal, s.totalRevenue, s.eventSeq],
    );
    for (const page of toPages(s.leaves)) {
      await tx.query(
        'INSERT INTO monoplasma_snapshot_pages (block_number, page, count, leaves) VALUES ($1, $2, $3, $4)',
        [s.blockNumber, page.page, page.count, page.leaves],
      );
    }
  },

  /**
   * A snapshot's leaves, packed (for building its tree or reading totals in-process without a
   * string per member); null when there is no such snapshot.
   */
  async snapshotLeaves(q: Queryable, block: number): Promise<PackedEntries | null> {
    const stored = await storedSnapshot(q, block);
    return stored && (await leavesOf(q, stored));
  },

  async markSnapshot(
    tx: Queryable,
    block: number,
    status: SnapshotRow['status'],
    txHash: string | null,
    error: string | null = null,
  ) {
    await tx.query(
      'UPDATE monoplasma_snapshots SET status = $2, tx_hash = $3, error = $4 WHERE block_number = $1',
      [block, status, txHash, error],
    );
  },

  /**
   * A snapshot's fields without its leaves, for the state document (services/published-state.ts),
   * which renders the leaves itself in one pass; null when there is no such snapshot.
   */
  async snapshotHeader(q: Queryable, block: number): Promise<SnapshotRow | null> {
    const r = await q.query<SnapshotRow>(
      `SELECT ${headerCols} FROM monoplasma_snapshots WHERE block_number = $1`,
      [block],
    );
    return r.rows[0] ?? null;
  },

  async latestSnapshotBlock(tx: Queryable): Promise<number | null> {
    const r = await tx.query<{ b: number | null }>(
      'SELECT max(block_number) AS b FROM monoplasma_snapshots',
    );
    return r.rows[0]?.b ?? null;
  },

  async validatorStatus(q: Queryable): Promise<ValidatorStatusRow | null> {
    const r = await q.query<ValidatorStatusRow>(
      `SELECT block_number AS "blockNumber", root, ok, problem, checked_at AS "checkedAt",
         commits_checked AS "commitsChecked" FROM validator_status WHERE id = 1`,
    );
    return r.rows[0] ?? null;
  },

  async saveValidatorStatus(q: Queryable, v: ValidatorStatusRow) {
    await q.query(
      `INSERT INTO validator_status (id, block_number, root, ok, problem, commits_checked, checked_at)
       VALUES (1, $1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO UPDATE SET block_number = $1, root = $2, ok = $3, problem = $4,
         commits_checked = $5, checked_at = $6`,
      [v.blockNumber, v.root, v.ok, v.problem, v.commitsChecked, v.checkedAt],
    );
  },
};

async function storedSnapshot(q: Queryable, block: number): Promise<StoredSnapshot | null> {
  const r = await q.query<StoredSnapshot>(
    `SELECT ${headerCols}, totals FROM monoplasma_snapshots WHERE block_number = $1`,
    [block],
  );
  return r.rows[0] ?? null;
}

/** The leaves of a stored snapshot: its pages, or its JSON totals before migration 0010. */
async function leavesOf(q: Queryable, s: StoredSnapshot): Promise<PackedEntries> {
  if (s.totals !== null) {
    return packEntries(
      Object.entries(s.totals).map(([address, total]) => ({ address, total: BigInt(total) })),
    );
  }
  const r = await q.query<SnapshotPage>(
    `SELECT page, count, leaves FROM monoplasma_snapshot_pages
     WHERE block_number = $1 ORDER BY page`,
    [s.blockNumber],
  );
  return fromPages(r.rows);
}

/**
 * Runs `fn` in a transaction holding the operator-key lock, so instances sharing this database
 * never send with the operator key at the same time (ChainClient's `exclusive`).
 */
export function withOperatorKeyLock(db: Db) {
  return <T>(fn: () => Promise<T>): Promise<T> =>
    db.transaction(async (tx) => {
      await monoplasmaRepo.lockOperatorKey(tx);
      return fn();
    });
}
