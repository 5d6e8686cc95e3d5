/**
 * The union's membership log over HTTP (`GET /v1/membership-log`), verified and cached: each page
 * is validated (`membershipLogPageSchema`) and must continue the hash chain from the head already
 * held (`verifyLogChain`), so a union that rewrites its past is caught, not believed. Pages are
 * read incrementally (`after` = the head's sequence number).
 *
 * When the cache answers: entries are appended with the union's clock as `at`, and may land a
 * little after that time (a transaction's lag, clocks of several union instances). A question
 * about time `t` (or an interval ending at `t`) is answered from the cache once the log was read at or after `t +
 * settleSeconds` (this aggregator's clock); otherwise the log is read again first. Reports are for
 * closed epochs, so in practice one read covers an epoch. Concurrent questions share one read.
 * A log that cannot be read or does not verify throws `MembershipUnavailable`: the caller fails
 * the request (the leader's driver retries the job later, the upload is answered 503), never the
 * report. So does a "no" about an interval the log read does not yet cover with the settle time.
 */
import {
  membershipLogPageSchema,
  verifyLogChain,
  GENESIS_HASH,
  type LogHead,
} from '../../extension/protocol/membership-log.ts';
import {
  indexLog,
  memberDuringInIndex,
  MembershipUnavailable,
  type MembershipSource,
} from './membership-source.ts';

export interface HttpMembershipOptions {
  /** The union's base URL, e.g. `https://union.example`. */
  readonly unionUrl: string;
  readonly fetch: typeof fetch;
  /** Seconds since the Unix epoch (this aggregator's clock). */
  readonly now: () => number;
  /** How long after its `at` an entry is surely in the log. */
  readonly settleSeconds: number;
  /** Entries per request (the union serves at most 1,000). */
  readonly pageSize?: number;
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function httpMembership(options: HttpMembershipOptions): MembershipSource {
  const index = new Map<string, { at: number; join: boolean }[]>();
  let head: LogHead = { seq: 0, hash: GENESIS_HASH };
  let readAt = -Infinity;
  let reading: Promise<void> | null = null;

  async function page(after: number) {
    const url = new URL('/v1/membership-log', options.unionUrl);
    url.searchParams.set('after', String(after));
    url.searchParams.set('limit', String(options.pageSize ?? 1000));
    let response: Response;
    try {
      response = await options.fetch(url);
    } catch (error) {
      throw new MembershipUnavailable(`The union's membership log at ${url.href} is unreachable.`, {
        cause: error,
      });
    }
    if (response.status !== 200) {
      throw new MembershipUnavailable(
        `The union answered ${url.href} with HTTP ${response.status}.`,
      );
    }
    const parsed = membershipLogPageSchema.safeParse(await response.json());
    if (!parsed.success) {
      throw new MembershipUnavailable(
        `The union's membership log page is malformed: ${parsed.error.issues[0]?.message}.`,
      );
    }
    return parsed.data;
  }

  async function read(): Promise<void> {
    const startedAt = options.now();
    for (;;) {
      const { entries, next } = await page(head.seq);
      try {
        head = verifyLogChain(entries, head);
      } catch (error) {
        throw new MembershipUnavailable(
          `The union's membership log does not continue the chain held (${String(error)}): its past was rewritten.`,
        );
      }
      indexLog(entries, index);
      if (next === null || entries.length === 0) break;
    }
    readAt = startedAt;
  }

  function refresh(): Promise<void> {
    reading ??= read().finally(() => {
      reading = null;
    });
    return reading;
  }

  return {
    async memberDuring(address, from, to) {
      const settledAt = to + options.settleSeconds;
      // An interval not yet settled (a report for a running epoch, or just after it) is read at
      // most once a second, so reports for the current epoch cannot make every upload a log read.
      if (readAt < Math.min(settledAt, Math.floor(options.now()))) await refresh();
      if (memberDuringInIndex(index, address, from, to)) return true;
      // A join may still be on its way into the log: "no" is not final before the interval has
      // settled, so the caller retries later instead of refusing the report for good.
      if (readAt < settledAt) {
        throw new MembershipUnavailable(
          `Whether ${address} was a member from ${iso(from)} to ${iso(to)} is settled only at ${iso(settledAt)}; retry then.`,
        );
      }
      return false;
    },
  };
}
