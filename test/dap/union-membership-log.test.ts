/**
 * The DAP aggregators' membership source against a real union: members join through
 * `POST /v1/join`, the union writes its hash-chained log, and `httpMembership` reads it page by
 * page over HTTP, verifies the chain and answers who was a member when.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { httpMembership } from '../../aggregator/membership/http-membership.ts';
import { freshPglite } from '../../union/test-support/pglite-template.ts';
import { startTestUnion, type TestUnion } from '../../union/test-support/test-union.ts';
import { testClock } from '../../union/test-support/test-clock.ts';

describe('membership from a running union', () => {
  let union: TestUnion | undefined;
  afterEach(async () => {
    await union?.close();
  });

  it('answers from the union’s own log: members from their join on, nobody else', async () => {
    const clock = testClock();
    union = await startTestUnion(await freshPglite(), { clock });
    const joinedAt = clock.nowSeconds();
    const alice = await union.activeMember();
    clock.advance(60_000);
    const bob = await union.activeMember();
    clock.advance(3_600_000);
    const source = httpMembership({
      unionUrl: union.url,
      fetch: (input, init) => fetch(input, init),
      now: () => clock.nowSeconds(),
      settleSeconds: 60,
      pageSize: 1,
    });
    expect(await source.memberDuring(alice.address, joinedAt - 1, joinedAt - 1)).toBe(false);
    expect(await source.memberDuring(alice.address, joinedAt + 1, joinedAt + 1)).toBe(true);
    expect(await source.memberDuring(bob.address, joinedAt + 1, joinedAt + 1)).toBe(false);
    expect(await source.memberDuring(bob.address, joinedAt + 61, joinedAt + 61)).toBe(true);
    expect(await source.memberDuring(union.admin.address, joinedAt + 61, joinedAt + 61)).toBe(
      false,
    );
  });
});
