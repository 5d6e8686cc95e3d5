/**
 * The books as rows (migration 0010, issue 19): a restored state equals the live one byte for
 * byte after incremental saves; a tick that fails between its writes stores nothing and applies
 * nothing twice; and the watcher's filtered member facts give exactly the membership changes
 * the whole members table gives.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Db, Queryable } from '../db/db.ts';
import { BooksCache } from '../jobs/books-cache.ts';
import {
  eventFromJson,
  eventToJson,
  MonoplasmaAccounting,
  type AccountingEvent,
} from '../monoplasma/accounting.ts';
import { membershipChanges } from '../monoplasma/accounting/membership-changes.ts';
import type { MemberJson } from '../monoplasma/accounting/state.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { accountingInputsRepo } from './accounting-inputs-repo.ts';
import { booksRepo } from './books-repo.ts';
import { monoplasmaRepo } from './monoplasma-repo.ts';

const address = (i: number) => `0x${i.toString(16).padStart(40, '0')}`;
const [A, B, C] = [address(1), address(2), address(3)];

/** What a watcher tick stores: the header with the cursor, then the members it touched. */
async function save(tx: Queryable, books: MonoplasmaAccounting, cursor: number) {
  const version = await monoplasmaRepo.saveState(tx, cursor, books.header(), true);
  await booksRepo.saveMembers(tx, books.takeChangedMembers(), version);
  return version;
}

async function stored(db: Db): Promise<MonoplasmaAccounting> {
  return booksRepo.load(db, (await monoplasmaRepo.state(db))!.accounting);
}

describe('the books as rows', () => {
  let db: Db;
  beforeEach(async () => {
    db = await freshPglite();
  });
  afterEach(async () => {
    await db.close();
  });

  it('restores byte for byte what was saved incrementally, and a revenue event writes no member', async () => {
    const live = new MonoplasmaAccounting({ minMembershipAgeSeconds: 10 });
    live.memberJoined(A, 1);
    live.memberJoined(B, 2);
    live.memberActivityChanged(A, true, 3);
    live.memberActivityChanged(B, true, 3);
    live.revenue('0xaa:0', 1001n, 20); // A and B matured at 11 and 12
    await db.transaction((tx) => save(tx, live, 5));
    expect(JSON.stringify((await stored(db)).toJSON())).toBe(JSON.stringify(live.toJSON()));

    live.revenue('0xaa:1', 500n, 21);
    expect(live.takeChangedMembers()).toEqual([]);
    live.memberLeft(A, 22);
    live.memberJoined(C, 23);
    live.memberJoined(A, 24); // returning: keeps its position and its earnings
    live.setAdminFee(10n ** 17n, 25, '0xbb:0');
    live.revenue('0xaa:2', 7n, 40);
    await db.transaction((tx) => save(tx, live, 6));
    const restored = await stored(db);
    expect(JSON.stringify(restored.toJSON())).toBe(JSON.stringify(live.toJSON()));
    expect(restored.totalOf(A)).toBe(live.totalOf(A));
    expect(await booksRepo.totalOf(db, B)).toEqual({
      total: live.totalOf(B),
      adminTotal: live.adminTotal,
    });
    expect(await booksRepo.totalOf(db, address(99))).toMatchObject({ total: 0n });
  });

  it('books held by another instance catch up from the rows written since, to the same state', async () => {
    const [one, two] = [new BooksCache(), new BooksCache()];
    const tickOf = (cache: BooksCache, step: (books: MonoplasmaAccounting) => void) =>
      cache.run(() =>
        db.transaction(async (tx) => {
          const books = await cache.at(tx, await monoplasmaRepo.state(tx, true));
          step(books);
          cache.keep(await save(tx, books, 1), books);
          return books;
        }),
      );
    await tickOf(one, (b) => {
      b.memberJoined(A, 1);
      b.memberJoined(B, 1);
      b.memberActivityChanged(A, true, 2);
    });
    const held = await tickOf(two, (b) => b.revenue('0xdd:0', 90n, 3));
    await tickOf(one, (b) => {
      b.memberActivityChanged(B, true, 4);
      b.memberJoined(C, 5);
      b.revenue('0xdd:1', 91n, 6);
    });
    await tickOf(one, (b) => b.memberLeft(A, 7));
    const caught = await tickOf(two, (b) => b.revenue('0xdd:2', 92n, 8));
    expect(caught).toBe(held); // caught up, not loaded again
    expect(JSON.stringify(caught.toJSON())).toBe(JSON.stringify((await stored(db)).toJSON()));
    expect(caught.totalOf(C)).toBe((await stored(db)).totalOf(C));
  });

  it('a tick that fails after its writes stores nothing, and the next one applies its events once', async () => {
    const cache = new BooksCache();
    // A watcher tick in small: B's join (unless the books hold B) and one revenue (unless its id
    // was seen), saved with the events; `fail` kills it after every write (a failing query).
    const tick = (fail: boolean) =>
      cache.run(() =>
        db.transaction(async (tx) => {
          const state = await monoplasmaRepo.state(tx, true);
          const books = await cache.at(tx, state);
          const events: AccountingEvent[] = [];
          const join = { type: 'member-joined', address: B, at: 4 } as const;
          if (!books.member(B) && books.apply(join)) events.push(join);
          const revenue = { type: 'revenue-received', id: '0xcc:0', amount: 100n, at: 5 } as const;
          if (books.apply(revenue)) events.push(revenue);
          await monoplasmaRepo.appendEvents(
            tx,
            events.map((e) => ({ event: eventToJson(e), blockNumber: 7 })),
          );
          const version = await save(tx, books, 7);
          if (fail) await tx.query('SELECT 1 / 0');
          return { version, books };
        }),
      );
    const opening: AccountingEvent[] = [
      { type: 'member-joined', address: A, at: 1 },
      { type: 'member-activity-changed', address: A, active: true, at: 2 },
    ];
    await db.transaction(async (tx) => {
      const books = MonoplasmaAccounting.replay(opening);
      await monoplasmaRepo.appendEvents(
        tx,
        opening.map((e) => ({ event: eventToJson(e), blockNumber: 6 })),
      );
      await save(tx, books, 6);
    });

    await expect(tick(true)).rejects.toThrow();
    expect((await monoplasmaRepo.state(db))!.cursorBlock).toBe(6);
    expect(await monoplasmaRepo.lastEventSeq(db)).toBe(2);
    const done = await tick(false);
    cache.keep(done.version, done.books);

    const log = (await monoplasmaRepo.eventsPage(db, 0, 100)).map((row) =>
      eventFromJson(row.event),
    );
    const once = MonoplasmaAccounting.replay(log);
    expect(log.map((e) => e.type)).toEqual([
      'member-joined',
      'member-activity-changed',
      'member-joined',
      'revenue-received',
    ]);
    expect(JSON.stringify((await stored(db)).toJSON())).toBe(JSON.stringify(once.toJSON()));
    expect(JSON.stringify(done.books.toJSON())).toBe(JSON.stringify(once.toJSON()));
  });

  it('reads only member rows that can change the books, and they give the same changes as all rows', async () => {
    // Members in every combination of table status, books standing and report time.
    const statuses = ['active', 'left', 'removed'] as const;
    const standings = [null, 'earning', 'inactive', 'left'] as const;
    const reports = [null, 100, 5_000, 9_000, 20_000] as const;
    const books = new Map<string, { status: 'member' | 'left'; active: boolean }>();
    const rows: MemberJson[] = [];
    let i = 0;
    for (const status of statuses)
      for (const standing of standings)
        for (const report of reports) {
          const member = address(1000 + i++);
          await db.query(
            `INSERT INTO members (address, status, requested_at, joined_at, status_changed_at,
               active_from) VALUES ($1, $2, to_timestamp(10), to_timestamp(50), to_timestamp(60), $3)`,
            [member, status, report === null ? null : new Date(report * 1000)],
          );
          if (standing === null) continue;
          const view = {
            status: standing === 'left' ? ('left' as const) : ('member' as const),
            active: standing === 'earning',
          };
          books.set(member, view);
          rows.push([member, view.status, 50, view.active, true, '0', '0']);
        }
    await booksRepo.saveMembers(
      db,
      rows.map((member, position) => ({ position, member })),
      1,
    );
    const log = [{ seq: 1, time: 7_000, type: 'leave' as const, member: address(1000) }];

    for (const [clock, horizon] of [
      [0, 4_000],
      [4_000, 8_000],
      [8_000, 30_000],
      [30_000, Number.NEGATIVE_INFINITY],
    ] as const) {
      const input = {
        books: (a: string) => books.get(a),
        clock,
        horizon,
        activityWindowSeconds: 3_600,
        log,
      };
      const all = await accountingInputsRepo.memberFacts(db);
      const some = await accountingInputsRepo.changedMemberFacts(db, {
        logged: [address(1000)],
        activityWindowSeconds: 3_600,
        clock,
        horizon,
      });
      expect(some.length).toBeLessThan(all.length);
      expect(membershipChanges({ ...input, members: some })).toEqual(
        membershipChanges({ ...input, members: all }),
      );
    }
  });
});
