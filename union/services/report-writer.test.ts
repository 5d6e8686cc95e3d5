import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db } from '../db/db.ts';
import type { ReportInsert } from '../repo/reports-repo.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { ReportWriter } from './report-writer.ts';

let db: Db;
const active = `0x${'aa'.repeat(20)}`;
const pending = `0x${'bb'.repeat(20)}`;

beforeAll(async () => {
  db = await freshPglite();
  await db.query(
    `INSERT INTO members (address, status, requested_at, status_changed_at) VALUES ($1, 'active', now(), now()), ($2, 'pending', now(), now())`,
    [active, pending],
  );
}, 120_000);
afterAll(() => db?.close());

const row = (member: string, epochStart: number, digest: string): ReportInsert => ({
  member,
  epochStart,
  epochSeconds: 3600,
  configVersion: 1,
  report: '{}',
  signature: `0x${'00'.repeat(65)}`,
  digest,
});

describe('group-commit report writer', () => {
  it('commits many concurrent reports in few statements and answers each one', async () => {
    let commits = 0;
    const writer = new ReportWriter(db, {
      maxBatch: 50,
      concurrency: 1,
      now: Date.now,
      onCommit: () => commits++,
    });
    const outcomes = await Promise.all(
      Array.from({ length: 120 }, (_, i) => writer.write(row(active, i * 3600, `0x${i}`))),
    );
    expect(outcomes.every((o) => o === 'inserted')).toBe(true);
    expect(commits).toBeLessThanOrEqual(4);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM reports');
    expect(rows[0]!.n).toBe(120);
  });

  it('the first copy of a key wins even when copies arrive together: same digest duplicate, else conflict', async () => {
    const writer = new ReportWriter(db, { maxBatch: 1000, concurrency: 2, now: Date.now });
    const key = 999 * 3600;
    const outcomes = await Promise.all([
      writer.write(row(active, key, '0xfirst')),
      writer.write(row(active, key, '0xfirst')),
      writer.write(row(active, key, '0xsecond')),
    ]);
    expect(outcomes).toEqual(['inserted', 'duplicate', 'conflict']);
  });

  it('refuses reports of members who are not active', async () => {
    const writer = new ReportWriter(db, { maxBatch: 10, concurrency: 1, now: Date.now });
    expect(await writer.write(row(pending, 0, '0x1'))).toBe('not-member');
    expect(await writer.write(row(`0x${'cc'.repeat(20)}`, 0, '0x1'))).toBe('not-member');
    await writer.drain();
  });
});
