import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../extension/protocol/membership-log.ts';
import { membershipLog, testMember } from '../test-support/member-reports.ts';
import { httpMembership } from './http-membership.ts';
import { memoryMembership, MembershipUnavailable } from './membership-source.ts';

const alice = testMember(1).address;
const bob = testMember(2).address;
const T = 1_764_000_000;

const log = membershipLog([
  { member: alice, type: 'join', at: T },
  { member: bob, type: 'join', at: T + 10 },
  { member: alice, type: 'leave', at: T + 100 },
  { member: alice, type: 'join', at: T + 200 },
]);

describe('membership at a time, from the log', () => {
  it.each([
    [alice, T - 1, false],
    [alice, T, true],
    [alice, T + 99, true],
    [alice, T + 100, false],
    [alice, T + 200, true],
    [bob, T + 9, false],
    [bob.toLowerCase(), T + 10, true],
    [testMember(3).address, T + 500, false],
  ])('%s at %i → %s', async (who, time, expected) => {
    expect(await memoryMembership(log).memberDuring(who, time, time)).toBe(expected);
  });
});

describe('membership during an interval (an epoch), from the log', () => {
  it.each([
    [alice, T + 50, T + 150, true], // a member at its start
    [alice, T + 120, T + 200, false], // left before it, joined again at its end
    [alice, T + 120, T + 201, true], // joined again during it
    [bob, T, T + 10, false], // joined at its end
    [bob, T, T + 11, true], // joined during it
    [alice, T - 100, T, false], // joined at its end
    [testMember(3).address, T, T + 500, false],
  ])('%s during [%i, %i) → %s', async (who, from, to, expected) => {
    expect(await memoryMembership(log).memberDuring(who, from, to)).toBe(expected);
  });
});

/** The union's `GET /v1/membership-log` over `entries` (pages, `next`), counting requests. */
function unionLog(entries: () => readonly LogEntry[]) {
  const requests: string[] = [];
  const fetch = (input: string | URL | Request) => {
    const url = new URL(input instanceof Request ? input.url : input);
    requests.push(url.search);
    const after = Number(url.searchParams.get('after'));
    const limit = Number(url.searchParams.get('limit'));
    const all = entries();
    const page = all.filter((e) => e.seq > after).slice(0, limit);
    const head = all.at(-1) ?? { seq: 0, hash: `0x${'0'.repeat(64)}` };
    const last = page.at(-1);
    const body = {
      entries: page,
      head: { seq: head.seq, hash: head.hash },
      next: last && last.seq < head.seq ? last.seq : null,
    };
    return Promise.resolve(Response.json(body));
  };
  return { fetch, requests };
}

const overHttp = (fetch: typeof globalThis.fetch, now: () => number, pageSize?: number) =>
  httpMembership({
    unionUrl: 'https://union.test',
    fetch,
    now,
    settleSeconds: 60,
    ...(pageSize ? { pageSize } : {}),
  });

describe('membership from the union over HTTP', () => {
  it('reads every page, verifies the chain, and answers from the cache once the log covers the time', async () => {
    let now = T + 1000;
    const union = unionLog(() => log);
    const source = overHttp(union.fetch, () => now, 3);
    expect(await source.memberDuring(bob, T + 10, T + 10)).toBe(true);
    expect(union.requests).toEqual(['?after=0&limit=3', '?after=3&limit=3']);
    expect(await source.memberDuring(alice, T + 150, T + 150)).toBe(false);
    expect(union.requests).toHaveLength(2);
    now = T + 5000;
    expect(await source.memberDuring(alice, T + 4990, T + 4990)).toBe(true);
    expect(union.requests.at(-1)).toBe('?after=4&limit=3');
  });

  it('reads again, from its head, for a time the cached log may not cover yet', async () => {
    let entries = log.slice(0, 2);
    const union = unionLog(() => entries);
    let now = T + 50;
    const source = overHttp(union.fetch, () => now);
    expect(await source.memberDuring(alice, T + 40, T + 40)).toBe(true);
    entries = log;
    now = T + 400;
    expect(await source.memberDuring(alice, T + 150, T + 150)).toBe(false);
    expect(union.requests).toEqual(['?after=0&limit=1000', '?after=2&limit=1000']);
  });

  it('reads again for an interval the cached log may not cover, at most once a second while it is not settled', async () => {
    const carol = testMember(3).address;
    let entries = log;
    const union = unionLog(() => entries);
    let now = T + 250;
    const source = overHttp(union.fetch, () => now);
    // Carol is not in the log read at T + 250, but the interval has not settled: no answer yet.
    await expect(source.memberDuring(carol, T + 250, T + 350)).rejects.toBeInstanceOf(
      MembershipUnavailable,
    );
    entries = membershipLog([
      ...([
        { member: alice, type: 'join', at: T },
        { member: bob, type: 'join', at: T + 10 },
        { member: alice, type: 'leave', at: T + 100 },
        { member: alice, type: 'join', at: T + 200 },
      ] as const),
      { member: carol, type: 'join', at: T + 300 },
    ]);
    now = T + 500;
    expect(await source.memberDuring(carol, T + 250, T + 350)).toBe(true);
    expect(union.requests).toHaveLength(2);
    // An epoch still running: answered from a read made now, not a read per question.
    expect(await source.memberDuring(carol, T + 480, T + 600)).toBe(true);
    expect(await source.memberDuring(bob, T + 480, T + 600)).toBe(true);
    expect(union.requests).toHaveLength(2);
    // "No" for an interval not yet settled is not an answer: the join may still be on its way.
    const dave = testMember(4).address;
    await expect(source.memberDuring(dave, T + 480, T + 600)).rejects.toThrow(
      /settled only at .*; retry then/,
    );
    expect(union.requests).toHaveLength(2);
    now = T + 501;
    await source.memberDuring(bob, T + 480, T + 600);
    expect(union.requests).toHaveLength(3);
    now = T + 660;
    expect(await source.memberDuring(dave, T + 480, T + 600)).toBe(false);
  });

  it('refuses a log whose past was rewritten (the chain from the held head breaks)', async () => {
    let entries = log.slice(0, 2);
    const union = unionLog(() => entries);
    let now = T + 100;
    const source = overHttp(union.fetch, () => now);
    await source.memberDuring(alice, T, T);
    entries = membershipLog([
      { member: alice, type: 'join', at: T },
      { member: testMember(9).address, type: 'join', at: T + 10 },
      { member: alice, type: 'join', at: T + 300 },
    ]);
    now = T + 1000;
    await expect(source.memberDuring(alice, T + 900, T + 900)).rejects.toBeInstanceOf(
      MembershipUnavailable,
    );
  });

  it('fails with MembershipUnavailable when the union does not answer with a log', async () => {
    const fetch = () => Promise.resolve(new Response('down', { status: 503 }));
    const source = overHttp(fetch, () => T);
    await expect(source.memberDuring(alice, T, T)).rejects.toMatchObject({
      code: 'membershipUnavailable',
    });
    const broken = () => Promise.resolve(Response.json({ entries: 'no' }));
    const other = overHttp(broken, () => T);
    await expect(other.memberDuring(alice, T, T)).rejects.toBeInstanceOf(MembershipUnavailable);
  });
});
