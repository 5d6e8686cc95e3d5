/**
 * One report's way in: shape (zod, shared schema) → the shared report rules against the config
 * version it names → EIP-712 digest (fast path) → signer recovery (native, in worker threads) →
 * per-member rate limit → group commit. Each step is cheaper than the next, so garbage is thrown
 * out before it costs a signature recovery or a database write.
 */
import { CrowdsellError, type ErrorPayload } from '../../extension/protocol/errors.ts';
import type { ReportDigester } from '../../extension/protocol/report-digest.ts';
import { checkReportRules } from '../../extension/protocol/report-rules.ts';
import { signedReportSchema } from '../../extension/protocol/wire.ts';
import type { CompactSignature } from '../crypto/signature.ts';
import { parseSignatureHex } from '../crypto/signature.ts';
import type { TokenBuckets } from '../domain/token-bucket.ts';
import { canonicalReportJson } from '../domain/report-json.ts';
import { parseInput } from '../domain/parse-input.ts';
import type { Metrics } from '../http/metrics.ts';
import type { ConfigService } from './config-service.ts';
import type { ReportWriter } from './report-writer.ts';

export type IngestResult =
  { status: 'accepted' } | { status: 'duplicate' } | { status: 'rejected'; error: ErrorPayload };

export interface ReportIngestDeps {
  configs: ConfigService;
  digester: ReportDigester;
  recover: (digest: Uint8Array, signature: CompactSignature) => Promise<string | null>;
  writer: ReportWriter;
  memberLimit: TokenBuckets;
  metrics: Metrics;
  now: () => number;
  acceptanceWindowSeconds: number;
}

const rejected = (code: string, message: string): IngestResult => ({
  status: 'rejected',
  error: { code, message },
});

export class ReportIngest {
  constructor(private readonly deps: ReportIngestDeps) {}

  async ingest(input: unknown): Promise<IngestResult> {
    let result: IngestResult;
    try {
      result = await this.run(input);
    } catch (error) {
      if (!(error instanceof CrowdsellError)) throw error;
      result = rejected(error.code, error.message);
    }
    const m = this.deps.metrics;
    if (result.status === 'accepted') m.inc('crowdsell_reports_accepted_total');
    else if (result.status === 'duplicate') m.inc('crowdsell_reports_duplicate_total');
    else m.inc('crowdsell_reports_rejected_total', { reason: result.error.code });
    return result;
  }

  /**
   * Under a config with an aggregation block the union takes no plain report (issue 17): the
   * epoch's product comes from the aggregators, and a plain report would show the union a
   * member's counts that the member's device now sends only as secret shares. Refused when the
   * report names such a config, or when the config in force for its epoch is one (an old
   * extension still on a plain config version).
   */
  private async refuseUnderAggregation(
    report: { epochStart: number; epochSeconds: number },
    named: { version: number; aggregation?: unknown } | undefined,
  ): Promise<void> {
    const inForce = named?.aggregation
      ? named
      : (await this.deps.configs.inForceAt(report.epochStart + report.epochSeconds))?.signed.config;
    if (!inForce?.aggregation) return;
    throw new CrowdsellError(
      'REPORT_AGGREGATION_REQUIRED',
      `This union counts reports through private aggregation since config version ${inForce.version}: a plain report is refused. Update the extension; it then sends its counts as encrypted shares to the two aggregators.`,
    );
  }

  private async run(input: unknown): Promise<IngestResult> {
    const { report, signature } = parseInput(signedReportSchema, input, 'signed report');
    const config = await this.deps.configs.byVersion(report.configVersion);
    checkReportRules(report, {
      config: config?.signed.config,
      nowSeconds: Math.floor(this.deps.now() / 1000),
      acceptanceWindowSeconds: this.deps.acceptanceWindowSeconds,
    });
    await this.refuseUnderAggregation(report, config?.signed.config);
    const compact = parseSignatureHex(signature);
    if (!compact) {
      return rejected(
        'REPORT_BAD_SIGNATURE',
        'The report signature is not a canonical 65-byte signature.',
      );
    }
    const digest = this.deps.digester.digest(report);
    const member = report.member.toLowerCase();
    const signer = await this.deps.recover(digest, compact);
    if (signer !== member) {
      return rejected(
        'REPORT_BAD_SIGNATURE',
        'The report is not signed by its member for this union and chain.',
      );
    }
    if (this.deps.memberLimit.take(member) > 0) {
      return rejected('RATE_LIMITED', 'This member is sending reports too fast; retry later.');
    }
    const outcome = await this.deps.writer.write({
      member,
      epochStart: report.epochStart,
      epochSeconds: report.epochSeconds,
      configVersion: report.configVersion,
      report: canonicalReportJson(report),
      signature: signature.toLowerCase(),
      digest: `0x${Buffer.from(digest).toString('hex')}`,
    });
    switch (outcome) {
      case 'inserted':
        return { status: 'accepted' };
      case 'duplicate':
        return { status: 'duplicate' };
      case 'conflict':
        return rejected(
          'REPORT_CONFLICT',
          'A different report for this member and epoch is already stored; the first one stands.',
        );
      case 'not-member':
        return rejected('MEMBER_NOT_ACTIVE', 'Only active members can send reports.');
    }
  }
}
