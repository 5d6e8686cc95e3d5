/**
 * Which ended epochs a close reports and which it drops, as a pure function of what is stored.
 * Every ended epoch since consent (within the union's window) gets a report while at least one
 * category is on — even one with nothing counted: a missing report would tell the union "no
 * activity". Empty epochs are generated from `reportedBefore` (what is already queued), never
 * from the late-credit barrier, so a close interrupted halfway is completed by the next one.
 */
export interface ClosePlanInput {
  /** Start (s) of the epoch running at the close time: everything before it has ended. */
  current: number;
  /** Epochs starting before this (s) are closed now. */
  closedBefore: number;
  /** Every epoch starting before this (s) was queued or dropped by an earlier close. */
  reportedBefore: number;
  /** Ended epochs with tallies. */
  stored: readonly { epochStart: number; epochSeconds: number }[];
  epochSeconds: number;
  /** Start (s) of the epoch in which consent was given, or null (no consent). */
  consentEpochStart: number | null;
  /** At least one category is on. */
  reporting: boolean;
  windowSeconds: number;
}

export interface PlannedEpoch {
  epochStart: number;
  epochSeconds: number;
  action: 'report' | 'drop';
}

function alignUp(seconds: number, epochSeconds: number): number {
  return Math.ceil(seconds / epochSeconds) * epochSeconds;
}

/** The epochs to close, oldest first. */
export function planClose(input: ClosePlanInput): PlannedEpoch[] {
  const { current, closedBefore, epochSeconds, windowSeconds } = input;
  const oldestKept = current - windowSeconds;
  const reportable = (start: number) => input.reporting && start >= oldestKept;
  const byStart = new Map<number, PlannedEpoch>();
  for (const { epochStart, epochSeconds: length } of input.stored) {
    if (epochStart >= closedBefore) continue;
    const action = reportable(epochStart) ? 'report' : 'drop';
    byStart.set(epochStart, { epochStart, epochSeconds: length, action });
  }
  if (input.reporting && input.consentEpochStart !== null) {
    const from = alignUp(
      Math.max(input.reportedBefore, input.consentEpochStart, oldestKept),
      epochSeconds,
    );
    for (let start = from; start < closedBefore; start += epochSeconds) {
      if (!byStart.has(start))
        byStart.set(start, { epochStart: start, epochSeconds, action: 'report' });
    }
  }
  return [...byStart.values()].sort((a, b) => a.epochStart - b.epochStart);
}
