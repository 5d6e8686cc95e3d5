/**
 * Joins share transactions (issue 19) and the hash-chained membership log stays exact: on PGlite
 * and on PostgreSQL, concurrent joins (one union, and two unions on one database) leave a chain
 * that verifies from genesis, one `join` entry per member made active, a secret's use limit held
 * exactly, and each join answered with what was committed.
 */
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db } from '../db/db.ts';
import { migrate } from '../db/migrate.ts';
import { generateAppSecret } from '../domain/app-secret.ts';
import { verifyLogChain, type LogEntry } from '../domain/membership-log.ts';
import { membersRepo } from '../repo/members-repo.ts';
import { membershipLogRepo } from '../repo/membership-log-repo.ts';
import { secretsRepo } from '../repo/secrets-repo.ts';
import { dbFactory, type DbFactory, type Driver } from '../test-support/test-union.ts';
import { MembershipService } from './membership-service.ts';

const address = () => `0x${randomBytes(20).toString('hex')}`;
const now = () => Date.UTC(2026, 11, 6, 12);

/** The database, counting the transactions started on it. */
function counting(db: Db): { db: Db; transactions: () => number } {
  let n = 0;
  return {
    db: {
      ...db,
      query: db.query.bind(db),
      exec: db.exec.bind(db),
      close: db.close.bind(db),
      transaction: (fn) => {
        n++;
        return db.transaction(fn);
      },
    },
    transactions: () => n,
  };
}

async function wholeLog(db: Db): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  for (;;) {
    const page = await membershipLogRepo.page(db, entries.at(-1)?.seq ?? 0, 1000);
    if (page.length === 0) return entries;
    entries.push(...page);
  }
}

async function newSecret(db: Db, maxUses: number | null): Promise<string> {
  const s = generateAppSecret();
  await secretsRepo.insert(db, { id: s.id, hash: s.hash, label: 't', maxUses, expiresAt: null });
  return s.secret;
}

/**
 * The chain verifies from genesis and ends at the head; replayed, it never joins an active
 * member again, and the members it leaves active are exactly the active rows.
 */
async function expectExactLog(db: Db): Promise<LogEntry[]> {
  const log = await wholeLog(db);
  expect(verifyLogChain(log)).toEqual(await membershipLogRepo.head(db));
  const active = new Set<string>();
  for (const e of log) {
    if (e.type === 'join') {
      expect(active.has(e.member), `${e.member} joined twice`).toBe(false);
      active.add(e.member);
    } else active.delete(e.member);
  }
  const rows = await membersRepo.list(db, { status: 'active', limit: 10_000 });
  expect(new Set(rows.map((m) => m.address))).toEqual(active);
  return log;
}

describe.each<Driver>(['pglite', 'postgres'])('joins in groups on %s', (driver) => {
  let factory: DbFactory;
  beforeAll(async () => {
    factory = await dbFactory(driver);
  }, 120_000);
  afterAll(() => factory.close());
  const fresh = async () => {
    const db = await factory.fresh();
    await migrate(db);
    return db;
  };

  it('concurrent joins share one commit; the log, the secret limit and each answer are exact', async () => {
    const raw = await fresh();
    try {
      const { db, transactions } = counting(raw);
      const membership = new MembershipService(db, now);
      const limited = await newSecret(raw, 25);
      const members = Array.from({ length: 60 }, address);
      const twice = members[0]!;
      const asks = [
        ...members.map((m, i) => ({ m, secret: i < 40 ? limited : undefined })),
        { m: twice, secret: limited },
      ];
      const answers = await Promise.all(asks.map((a) => membership.join(a.m, a.secret, true)));

      expect(transactions()).toBe(1);
      expect(membership.joinStats()).toEqual({ groups: 1, joins: 61 });
      const accepted = answers.filter((a) => a.secretAccepted);
      expect(accepted).toHaveLength(25);
      expect(answers.slice(0, 25).every((a) => a.secretAccepted)).toBe(true);
      expect(answers.at(-1)).toMatchObject({ member: { status: 'active' }, secretAccepted: false });
      expect((await secretsRepo.list(raw))[0]!.uses).toBe(25);
      for (const [i, a] of answers.entries()) {
        expect(await membersRepo.find(raw, asks[i]!.m)).toEqual(
          i === 0 ? answers.at(-1)!.member : a.member,
        );
      }
      const log = await expectExactLog(raw);
      expect(log.map((e) => e.member)).toEqual(members.slice(0, 25));
    } finally {
      await raw.close();
    }
  });

  it('two unions joining on one database, with leaves in between, keep one chain', async () => {
    const db = await fresh();
    try {
      const [one, two] = [new MembershipService(db, now), new MembershipService(db, now)];
      const secret = await newSecret(db, null);
      const members = Array.from({ length: 120 }, address);
      for (let wave = 0; wave < 4; wave++) {
        const part = members.slice(wave * 30, (wave + 1) * 30);
        await Promise.all([
          ...part.map((m, i) => (i % 2 ? one : two).join(m, secret, true)),
          ...members.slice(0, wave * 5).map((m, i) => (i % 2 ? two : one).act(m, 'leave')),
          ...part.slice(0, 5).map((m) => one.join(m, undefined, true)),
        ]);
      }
      expect((await secretsRepo.list(db))[0]!.uses).toBe(120);
      const log = await expectExactLog(db);
      expect(log.filter((e) => e.type === 'leave')).toHaveLength(15);
      expect(one.joinStats().groups + two.joinStats().groups).toBeLessThan(120);
    } finally {
      await db.close();
    }
  });

  it('a group whose commit fails answers every join with the error and stores nothing', async () => {
    const raw = await fresh();
    try {
      const failing: Db = {
        ...raw,
        query: raw.query.bind(raw),
        exec: raw.exec.bind(raw),
        close: raw.close.bind(raw),
        transaction: (fn) =>
          raw.transaction(async (tx) => {
            await fn(tx);
            throw new Error('commit failed (test)');
          }),
      };
      const membership = new MembershipService(failing, now);
      const secret = await newSecret(raw, 10);
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => membership.join(address(), secret, true)),
      );
      expect(results.every((r) => r.status === 'rejected')).toBe(true);
      expect(await membershipLogRepo.head(raw)).toMatchObject({ seq: 0 });
      const stored = await raw.query<{ n: number }>('SELECT count(*)::int AS n FROM members');
      expect(stored.rows[0]!.n).toBe(0);
      expect((await secretsRepo.list(raw))[0]!.uses).toBe(0);
    } finally {
      await raw.close();
    }
  });
});
