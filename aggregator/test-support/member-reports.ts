/**
 * Signed member reports for aggregator tests: a union domain, member wallets (real secp256k1 keys),
 * a membership log in which they joined (hash-chained with the protocol's own functions), and
 * reports built by our member report builder for a leader/helper task pair.
 */
import { Wallet } from 'ethers';
import { decode } from '../dap/codec.ts';
import { reportCodec, type Report } from '../dap/upload.ts';
import { unionDomain } from '../../extension/protocol/eip712.ts';
import {
  GENESIS_HASH,
  hashLogEntry,
  type LogEntry,
  type LogType,
} from '../../extension/protocol/membership-log.ts';
import { buildMemberReport } from '../client/member-report.ts';
import type { HelperTask } from '../helper/aggregation-job.ts';
import type { LeaderTask } from '../leader/aggregation-job.ts';
import { memoryMembership } from '../membership/membership-source.ts';
import type { MemberSignaturePolicy } from '../membership/verify-member-report.ts';

export const testDomain = unionDomain(31337, `0x${'d0'.repeat(20)}`);

/** Deterministic member keys (index 1, 2, …), so a failing test names the same address every run. */
export function testMember(index: number): Wallet {
  return new Wallet(`0x${index.toString(16).padStart(64, '0')}`);
}

/** A hash-chained log of `changes`, each `at` seconds since the Unix epoch. */
export function membershipLog(
  changes: readonly { member: string; type: LogType; at: number }[],
): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const change of changes) {
    const body = {
      seq: entries.length + 1,
      at: new Date(change.at * 1000).toISOString(),
      type: change.type,
      member: change.member.toLowerCase(),
      prevHash: entries.at(-1)?.hash ?? GENESIS_HASH,
    };
    entries.push({ ...body, hash: hashLogEntry(body) });
  }
  return entries;
}

export function signaturePolicy(
  log: readonly LogEntry[],
  timePrecisionSeconds: number,
): MemberSignaturePolicy {
  return { domain: testDomain, membership: memoryMembership(log), timePrecisionSeconds };
}

/** A report by `signer` (null: unsigned) for the pair's task, built by our client. */
export async function memberReport(
  pair: { leader: LeaderTask; helper: HelperTask },
  timePrecisionSeconds: number,
  measurement: readonly number[],
  time: number,
  signer: Wallet | null,
): Promise<Report> {
  const { bytes } = await buildMemberReport(
    {
      taskId: pair.leader.taskId,
      vdaf: pair.leader.vdaf,
      timePrecisionSeconds,
      leaderHpkeConfig: pair.leader.keypairs[0]!.config,
      helperHpkeConfig: pair.helper.keypairs[0]!.config,
      domain: testDomain,
    },
    {
      measurement,
      time,
      signedBy: signer === null ? null : { member: signer.address, signer },
    },
  );
  return decode(reportCodec, bytes, 'member report');
}
