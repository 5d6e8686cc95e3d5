/**
 * The union's hash-chained membership log (DESIGN §5) as it travels on `GET /v1/membership-log`:
 * one source of truth for the union that writes it, validators, and the DAP aggregators that read
 * it to check a report's signer was a member. Every status change is an entry `{ seq, at, type,
 * member, prevHash, hash }`, where `hash = keccak256(utf8(canonicalJson({ seq, at, type, member,
 * prevHash })))` and `prevHash` is the previous entry's hash (32 zero bytes before the first).
 * `at` is an ISO-8601 UTC time with milliseconds, `member` a lowercase address. Anyone can replay
 * the log with `verifyLogChain` and detect a rewritten past.
 */
import { keccak256, toUtf8Bytes } from 'ethers';
import { z } from 'zod';

import { canonicalJson } from './canonical-json.ts';

/** `join`: became active (app secret or approval); `leave`, `remove`, `reject`. */
export const LOG_TYPES = ['join', 'leave', 'remove', 'reject'] as const;
export type LogType = (typeof LOG_TYPES)[number];

export const GENESIS_HASH = `0x${'0'.repeat(64)}`;

export interface LogEntry {
  seq: number;
  at: string;
  type: LogType;
  member: string;
  prevHash: string;
  hash: string;
}

export interface LogHead {
  seq: number;
  hash: string;
}

export function hashLogEntry(entry: Omit<LogEntry, 'hash'>): string {
  const { seq, at, type, member, prevHash } = entry;
  return keccak256(toUtf8Bytes(canonicalJson({ seq, at, type, member, prevHash })));
}

/**
 * Checks that `entries` continue the chain from `from` (the genesis by default): consecutive
 * sequence numbers, each `prevHash` the previous hash, each hash recomputed. Returns the new head,
 * or throws naming the first broken entry.
 */
export function verifyLogChain(
  entries: readonly LogEntry[],
  from: LogHead = { seq: 0, hash: GENESIS_HASH },
): LogHead {
  let head = from;
  for (const entry of entries) {
    if (entry.seq !== head.seq + 1) throw new Error(`log entry ${entry.seq} is out of sequence`);
    if (entry.prevHash !== head.hash)
      throw new Error(`log entry ${entry.seq} has a wrong prevHash`);
    if (hashLogEntry(entry) !== entry.hash)
      throw new Error(`log entry ${entry.seq} has a wrong hash`);
    head = { seq: entry.seq, hash: entry.hash };
  }
  return head;
}

const hash32 = z.string().regex(/^0x[0-9a-f]{64}$/, 'a 32-byte lowercase hex hash');
const seq = z.number().int().min(0);

/** One page of `GET /v1/membership-log?after=&limit=`, as a reader validates it. */
export const membershipLogPageSchema = z.strictObject({
  entries: z.array(
    z.strictObject({
      seq: seq.min(1),
      at: z.iso.datetime({ precision: 3 }),
      type: z.enum(LOG_TYPES),
      member: z.string().regex(/^0x[0-9a-f]{40}$/, 'a lowercase address'),
      prevHash: hash32,
      hash: hash32,
    }),
  ),
  head: z.strictObject({ seq, hash: hash32 }),
  next: seq.nullable(),
});
