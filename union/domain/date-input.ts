/**
 * Dates at the boundary, one rule for every route and command: an instant between 1970-01-01
 * and 9999-12-31 (UTC). JavaScript parses far more (year 0, ±275760) than PostgreSQL stores or
 * anyone means, and such a date must be a 400 with a sentence, never a database error.
 */
import { z } from 'zod';

const EARLIEST_INSTANT_MS = 0;
const LATEST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const OUT_OF_RANGE = 'expected a date between 1970-01-01 and 9999-12-31';

const inRange = (ms: number) => ms >= EARLIEST_INSTANT_MS && ms <= LATEST_INSTANT_MS;

/** An ISO 8601 date-time with an offset (`2027-01-01T00:00:00Z`), within the range. */
export const isoDateTimeInput = z.iso
  .datetime({ offset: true })
  .refine((value) => inRange(Date.parse(value)), OUT_OF_RANGE);

/** `2027-01-01` (UTC midnight) or a date-time with an offset; not Date.parse's other guesses. */
const isoDateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** Unix seconds, or an ISO 8601 date / date-time, within the range; answers Unix seconds. */
export const instantSecondsInput = z.string().transform((value, ctx) => {
  const ms = /^\d{1,12}$/.test(value)
    ? Number(value) * 1000
    : isoDateOrDateTime.safeParse(value).success
      ? Date.parse(value)
      : NaN;
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected Unix seconds or an ISO 8601 date' });
    return z.NEVER;
  }
  if (!inRange(ms)) {
    ctx.addIssue({ code: 'custom', message: OUT_OF_RANGE });
    return z.NEVER;
  }
  return Math.floor(ms / 1000);
});
