/**
 * Where the union's own validator stopped: the last root it checked (not revoked), the replayed
 * accounting after the events that root includes, how far it checked the event log against the
 * chain and the membership log, and the membership entries not yet matched. The next check
 * resumes here instead of replaying the whole log (docs/monoplasma.md, "The union checks
 * itself").
 *
 * In a running union the checkpoint stays in memory between checks, as live objects (the replay
 * goes on with them). The database keeps the crash-safe copy (migration 0011): a small header
 * (JSON, this file's schema) and the replayed members as rows, written incrementally — only the
 * members a check changed (validator-checkpoint-repo.ts).
 */
import { z } from 'zod';

import type { AccountingHeaderJson, MemberJson } from '../monoplasma/accounting/state.ts';
import { MonoplasmaAccounting } from '../monoplasma/accounting.ts';
import type { MemberTotal } from '../monoplasma/accounting/monoplasma-accounting.ts';
import { MembershipMatcher } from './replay-check.ts';

/** 2: the members left the header for rows (migration 0011). */
export const CHECKPOINT_VERSION = 2;

export interface ValidatorCheckpoint {
  /** The last checked root's block and root. */
  blockNumber: number;
  root: string;
  /** The admin address of that root's published state (its fee leaf). */
  admin: string;
  /** The last event seq the replayed accounting includes (that root's). */
  eventSeq: number;
  /** The last event seq checked against the chain and the membership log (≥ eventSeq). */
  logSeq: number;
  /** Membership entries read so far and those not yet matched by an event. */
  membership: MembershipMatcher;
  /** The replayed books after the events up to `eventSeq`: they matched that root's leaves. */
  accounting: MonoplasmaAccounting;
  /**
   * That root's leaves (equal to the replayed totals), kept in memory for the next run's "no
   * total went down"; absent when restored from the database (then taken from `accounting`).
   */
  leaves?: readonly MemberTotal[];
}

const seq = z.number().int().nonnegative();

const headerSchema = z.object({
  version: z.literal(CHECKPOINT_VERSION),
  blockNumber: seq,
  root: z.string().regex(/^0x[0-9a-f]{64}$/),
  admin: z.string(),
  eventSeq: seq,
  logSeq: seq,
  membership: z.object({
    after: seq,
    pending: z.array(z.tuple([z.string(), z.array(seq)])),
  }),
  // Parsed in full by MonoplasmaAccounting.fromJSON, with the member rows.
  accounting: z.custom<AccountingHeaderJson>(
    (value) => typeof value === 'object' && value !== null,
  ),
});

/** The stored header: everything but the replayed members. */
export type CheckpointHeader = z.infer<typeof headerSchema>;

export function checkpointHeader(checkpoint: ValidatorCheckpoint): CheckpointHeader {
  const { blockNumber, root, admin, eventSeq, logSeq } = checkpoint;
  return {
    version: CHECKPOINT_VERSION,
    blockNumber,
    root,
    admin,
    eventSeq,
    logSeq,
    membership: checkpoint.membership.toJSON(),
    accounting: checkpoint.accounting.header(),
  };
}

/** The stored header, or null when it is missing or not this version's (a full check runs). */
export function parseCheckpointHeader(json: unknown): CheckpointHeader | null {
  const parsed = headerSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The stored checkpoint as live objects; null when its state does not restore (a full check runs). */
export function restoreCheckpoint(
  header: CheckpointHeader,
  members: MemberJson[],
): ValidatorCheckpoint | null {
  const { version: _version, membership, accounting, ...position } = header;
  try {
    return {
      ...position,
      membership: MembershipMatcher.fromJSON(membership),
      accounting: MonoplasmaAccounting.fromJSON({ ...accounting, members }),
    };
  } catch {
    return null;
  }
}
