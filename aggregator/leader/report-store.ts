/**
 * Where the leader keeps uploaded reports until an aggregation job takes them. An interface of its
 * own: the helper has no path to it (eslint.config.js zones), and the union's repositories are not
 * reachable from here. Two implementations: in memory (route tests) and on the leader's own
 * database (`db/sql-report-store.ts`, PGlite or PostgreSQL).
 */
import { Buffer } from 'node:buffer';
import type { MemberEpoch } from '../membership/verify-member-report.ts';

export interface StoredReport {
  readonly reportId: Uint8Array;
  readonly time: number;
  /** The `Report` exactly as uploaded: the leader's share stays sealed at rest until aggregation. */
  readonly bytes: Uint8Array;
}

/**
 * `stored`: new; `same`: this exact report was already stored (a retry); `conflict`: the id is
 * taken by other bytes; `memberEpochTaken`: the member already has a report for this epoch;
 * `batchCollected`: its batch was already collected (not stored: it could never be aggregated).
 */
export type PutOutcome = 'stored' | 'same' | 'conflict' | 'memberEpochTaken' | 'batchCollected';

export interface LeaderReportStore {
  /** `member`: the report's signer and epoch (tasks requiring member signatures), stored once. */
  put(report: StoredReport, member?: MemberEpoch): Promise<PutOutcome>;
  list(): Promise<readonly StoredReport[]>;
}

const key = (id: Uint8Array) => Buffer.from(id).toString('hex');

/** In memory (route tests): no batches are ever collected here, so never `batchCollected`. */
export function memoryReportStore(): LeaderReportStore {
  const reports = new Map<string, StoredReport>();
  const memberEpochs = new Set<string>();
  return {
    put(report, member) {
      const existing = reports.get(key(report.reportId));
      if (existing === undefined) {
        const memberEpoch = member && `${member.member}:${member.epoch}`;
        if (memberEpoch && memberEpochs.has(memberEpoch)) {
          return Promise.resolve('memberEpochTaken');
        }
        if (memberEpoch) memberEpochs.add(memberEpoch);
        reports.set(key(report.reportId), report);
        return Promise.resolve('stored');
      }
      return Promise.resolve(
        Buffer.from(existing.bytes).equals(report.bytes) ? 'same' : 'conflict',
      );
    },
    list: () => Promise.resolve([...reports.values()]),
  };
}
