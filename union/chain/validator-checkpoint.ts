/**
 * Where the union's own validator stopped: the last root it checked (not revoked), the replayed
 * accounting state after the events that root includes, how far it checked the event log
 * against the chain and the membership log, and the membership entries not yet matched. The next
 * check resumes here instead of replaying the whole log (docs/monoplasma.md, "The union's own
 * check"). Stored as JSON; parsed (and rejected whole) on the way back.
 */
import { z } from 'zod';

import type { AccountingStateJson } from '../monoplasma/accounting.ts';
import type { MembershipMatcherJson, ReplayPosition } from './replay-check.ts';

export const CHECKPOINT_VERSION = 1;

export interface ValidatorCheckpoint extends ReplayPosition {
  version: typeof CHECKPOINT_VERSION;
  /** The last checked root's block and root. */
  blockNumber: number;
  root: string;
  /** The admin address of that root's published state (its fee leaf). */
  admin: string;
  /** The last event seq checked against the chain and the membership log (≥ eventSeq). */
  logSeq: number;
  membership: MembershipMatcherJson;
}

const seq = z.number().int().nonnegative();

const checkpointSchema = z.object({
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
  // Parsed in full by MonoplasmaAccounting.fromJSON when the check resumes.
  accounting: z.custom<AccountingStateJson>((value) => typeof value === 'object' && value !== null),
});

/** The stored checkpoint, or null when it is missing or not this version's (a full check runs). */
export function parseCheckpoint(json: unknown): ValidatorCheckpoint | null {
  const parsed = checkpointSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
