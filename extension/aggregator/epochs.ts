/**
 * Epoch arithmetic (DESIGN §6): epochs are `epochSeconds` long and aligned to the Unix epoch, so
 * every member's epoch boundaries coincide in UTC. Times in milliseconds, epoch starts in seconds
 * (as the Report carries them).
 */
import type { CategoryTally, EpochRecord } from '../storage/schema.ts';

export function epochStartOf(nowMs: number, epochSeconds: number): number {
  const seconds = Math.floor(nowMs / 1000);
  return seconds - (seconds % epochSeconds);
}

export function epochEndMs(epochStart: number, epochSeconds: number): number {
  return (epochStart + epochSeconds) * 1000;
}

export function emptyEpoch(epochStart: number, epochSeconds: number): EpochRecord {
  return { epochStart, epochSeconds, tallies: {} };
}

function tally(record: EpochRecord, category: number): CategoryTally {
  const key = String(category);
  const existing = record.tallies[key];
  if (existing) return existing;
  const created = { visits: 0, activeMs: 0 };
  record.tallies[key] = created;
  return created;
}

export function addVisit(record: EpochRecord, category: number): EpochRecord {
  tally(record, category).visits += 1;
  return record;
}

export function addActiveMs(record: EpochRecord, category: number, ms: number): EpochRecord {
  if (ms > 0) tally(record, category).activeMs += ms;
  return record;
}

export interface EpochSlice {
  epochStart: number;
  ms: number;
}

/** Splits the time span [fromMs, toMs) at epoch boundaries. */
export function splitAtEpochs(fromMs: number, toMs: number, epochSeconds: number): EpochSlice[] {
  const slices: EpochSlice[] = [];
  let cursor = fromMs;
  while (cursor < toMs) {
    const epochStart = epochStartOf(cursor, epochSeconds);
    const end = Math.min(toMs, epochEndMs(epochStart, epochSeconds));
    slices.push({ epochStart, ms: end - cursor });
    cursor = end;
  }
  return slices;
}

/** Drops a category's tallies (the member switched it off: what was counted is forgotten). */
export function forgetCategory(record: EpochRecord, category: number): EpochRecord {
  const tallies = { ...record.tallies };
  delete tallies[String(category)];
  return { ...record, tallies };
}
