/**
 * The hash-chained membership log (DESIGN §5): every status change is an entry
 * `{ seq, at, type, member, prevHash, hash }`, where `hash = keccak256(utf8(canonicalJson({ seq,
 * at, type, member, prevHash })))` and `prevHash` is the previous entry's hash (32 zero bytes
 * before the first). `at` is an ISO-8601 UTC time with milliseconds, `member` a lowercase address.
 * Anyone can replay `GET /v1/membership-log` with `verifyLogChain` and detect a rewritten past.
 */
import { keccak256, toUtf8Bytes } from 'ethers';

import { canonicalJson } from '../../extension/protocol/canonical-json.ts';
import type { LogType } from './membership-rules.ts';

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

export function nextLogEntry(
  head: LogHead,
  change: { at: Date; type: LogType; member: string },
): LogEntry {
  const body = {
    seq: head.seq + 1,
    at: change.at.toISOString(),
    type: change.type,
    member: change.member.toLowerCase(),
    prevHash: head.hash,
  };
  return { ...body, hash: hashLogEntry(body) };
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
