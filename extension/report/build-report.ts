/**
 * The EIP-712 `Report` (DESIGN §3) for one closed epoch, and its signature by the member key.
 * The body is serialised once, here, and stored and sent as exactly those bytes.
 */
import { asTypes, reportTypes, type UnionDomain } from '../protocol/eip712.ts';
import {
  reportSchema,
  signedReportSchema,
  type CategoryCount,
  type Report,
  type SignedReport,
} from '../protocol/wire.ts';
import type { KeyVault } from '../vault/key-vault.ts';

export interface ReportInput {
  member: string;
  epochStart: number;
  epochSeconds: number;
  configVersion: number;
  counts: readonly CategoryCount[];
}

export function buildReport(input: ReportInput): Report {
  const counts = [...input.counts]
    .sort((a, b) => a.category - b.category)
    .map((c) => ({ category: c.category, visits: c.visits, activeSeconds: c.activeSeconds }));
  // Validating what we built catches a programming error before anything is signed.
  return reportSchema.parse({
    member: input.member,
    epochStart: input.epochStart,
    epochSeconds: input.epochSeconds,
    configVersion: input.configVersion,
    counts,
  });
}

export async function signReport(
  vault: KeyVault,
  domain: UnionDomain,
  report: Report,
): Promise<SignedReport> {
  const signature = await vault.signTypedData(domain, asTypes(reportTypes), report);
  return signedReportSchema.parse({ report, signature });
}

/** The request body, serialised once: the outbox and the sent log keep these exact bytes. */
export function serialiseSignedReport(signed: SignedReport): string {
  return JSON.stringify({ report: signed.report, signature: signed.signature });
}
