/**
 * Replays the worked examples of docs/monoplasma.md row by row: the document is the fixture,
 * so the numbers a reader sees are the numbers the code produces.
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { FEE_SCALE, MonoplasmaAccounting, type AccountingEvent } from './accounting.ts';

const doc = readFileSync(new URL('../../docs/monoplasma.md', import.meta.url), 'utf8');
const MEMBERS = {
  A: '0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  B: '0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb',
  C: '0xcccccccccccccccccccccccccccccccccccccccc',
} as const;

interface Row {
  step: number;
  at: number;
  text: string;
  expected: { A: bigint; B: bigint; C: bigint; admin: bigint; remainder: bigint };
}

function example(name: string): { minAge: number; rows: Row[] } {
  const match = new RegExp(
    `<!-- example:${name} min-age=(\\d+) -->([\\s\\S]*?)<!-- /example -->`,
  ).exec(doc);
  if (!match) throw new Error(`docs/monoplasma.md has no example "${name}"`);
  const rows = match[2]!
    .split('\n')
    .filter((line) => /^\|\s*\d+\s*\|/.test(line))
    .map((line): Row => {
      const cells = line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      const [step, at, text, a, b, c, admin, remainder] = cells;
      return {
        step: Number(step),
        at: Number(at),
        text: text!,
        expected: {
          A: BigInt(a!),
          B: BigInt(b!),
          C: BigInt(c!),
          admin: BigInt(admin!),
          remainder: BigInt(remainder!),
        },
      };
    });
  return { minAge: Number(match[1]), rows };
}

/** "A joins", "B is active", "C leaves", "A is removed", "revenue 1000", "admin fee 10 %". */
function toEvent({ step, at, text }: Row): AccountingEvent {
  const member = /^([ABC]) (joins|is active|is inactive|leaves|is removed)$/.exec(text);
  if (member) {
    const address = MEMBERS[member[1] as keyof typeof MEMBERS];
    switch (member[2]) {
      case 'joins':
        return { type: 'member-joined', address, at };
      case 'is active':
      case 'is inactive':
        return { type: 'member-activity-changed', address, active: member[2] === 'is active', at };
      case 'leaves':
        return { type: 'member-left', address, at };
      default:
        return { type: 'member-removed', address, at };
    }
  }
  const revenue = /^revenue (\d+)$/.exec(text);
  if (revenue)
    return {
      type: 'revenue-received',
      id: `0x${step.toString(16).padStart(64, '0')}:0`,
      amount: BigInt(revenue[1]!),
      at,
    };
  const fee = /^admin fee (\d+) %$/.exec(text);
  if (fee) return { type: 'admin-fee-set', fraction: (BigInt(fee[1]!) * FEE_SCALE) / 100n, at };
  throw new Error(`step ${step}: cannot read event "${text}"`);
}

describe('the worked examples in docs/monoplasma.md', () => {
  it.each(['basic', 'damping'])('reproduces every row of the "%s" example exactly', (name) => {
    const { minAge, rows } = example(name);
    expect(rows.length).toBeGreaterThan(5);
    const accounting = new MonoplasmaAccounting({ minMembershipAgeSeconds: minAge });
    let revenue = 0n;
    for (const row of rows) {
      const event = toEvent(row);
      accounting.apply(event);
      if (event.type === 'revenue-received') revenue += event.amount;
      const actual = {
        A: accounting.totalOf(MEMBERS.A),
        B: accounting.totalOf(MEMBERS.B),
        C: accounting.totalOf(MEMBERS.C),
        admin: accounting.adminTotal,
        remainder: accounting.carriedRemainder,
      };
      expect({ step: row.step, ...actual }).toEqual({ step: row.step, ...row.expected });
      expect(actual.A + actual.B + actual.C + actual.admin + actual.remainder).toBe(revenue);
    }
  });
});
