/**
 * Setup for `bench:scale`, not measured: members who joined before the measured day, written the
 * way a join writes them (active member rows, hash-chained membership-log entries and the log
 * head) but in bulk, so a run at N members does not spend N sequential joins getting there.
 */
import type { Db } from '../union/db/db.ts';
import { nextLogEntry, type LogHead } from '../union/domain/membership-log.ts';
import { membershipLogRepo } from '../union/repo/membership-log-repo.ts';

const CHUNK = 5000;

export async function seedJoined(db: Db, addresses: readonly string[], at: Date): Promise<void> {
  let head: LogHead = await membershipLogRepo.head(db);
  for (let i = 0; i < addresses.length; i += CHUNK) {
    const chunk = addresses.slice(i, i + CHUNK);
    const entries = chunk.map((member) => {
      head = nextLogEntry(head, { at, type: 'join', member });
      return head as ReturnType<typeof nextLogEntry>;
    });
    await db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO members (address, status, requested_at, joined_at, status_changed_at)
         SELECT a, 'active', $2, $2, $2 FROM unnest($1::text[]) AS a`,
        [chunk, at],
      );
      await tx.query(
        `INSERT INTO membership_log (seq, at, type, member, prev_hash, hash)
         SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[])`,
        [
          entries.map((e) => e.seq),
          entries.map((e) => e.at),
          entries.map((e) => e.type),
          entries.map((e) => e.member),
          entries.map((e) => e.prevHash),
          entries.map((e) => e.hash),
        ],
      );
      await tx.query('UPDATE membership_log_head SET seq = $1, hash = $2 WHERE id = 1', [
        head.seq,
        head.hash,
      ]);
    });
  }
}
