/** What the routes are given: options, services and per-IP limits. Built once in app.ts. */
import type { UnionDomain } from '../../extension/protocol/eip712.ts';
import type { ResolvedOptions } from '../config/options.ts';
import type { CompactSignature } from '../crypto/signature.ts';
import type { Db } from '../db/db.ts';
import type { TokenBuckets } from '../domain/token-bucket.ts';
import type { AdminAuth } from '../services/admin-auth.ts';
import type { ConfigService } from '../services/config-service.ts';
import type { EarningsService } from '../chain/earnings-service.ts';
import type { MembershipService } from '../services/membership-service.ts';
import type { ProductAccess } from '../services/product-access.ts';
import type { ProductService } from '../services/product-service.ts';
import type { ReportIngest } from '../services/report-ingest.ts';
import type { Metrics } from './metrics.ts';
import type { ReadCaches } from './response-cache.ts';

export interface UnionContext {
  options: ResolvedOptions;
  /** The public origin; known only after listening when the port is 0. */
  publicUrl: () => string;
  domain: UnionDomain;
  db: Db;
  configs: ConfigService;
  membership: MembershipService;
  /** Signer recovery for an EIP-712 digest (native, on the recovery threads when available). */
  recover: (digest: Uint8Array, signature: CompactSignature) => Promise<string | null>;
  auth: AdminAuth;
  ingest: ReportIngest;
  metrics: Metrics;
  /** The data product (issue 8): aggregation job and researcher access. */
  product: ProductService;
  productAccess: ProductAccess;
  /** Earnings, proofs and withdrawals (issue 7); absent when `options.chain` is not set. */
  monoplasma?: { earnings: EarningsService; withdrawalsPerMember: TokenBuckets };
  limits: {
    joinsPerIp: TokenBuckets;
    /** Charged per report: a batch costs one token per report it carries. */
    reportRequestsPerIp: TokenBuckets;
    adminPerIp: TokenBuckets;
    /** Per second: every signature the union recovers for a client (reports, joins, sign-ins …). */
    recoveriesPerIp: TokenBuckets;
    /** Earnings, proofs, product summary and sample. */
    publicReadsPerIp: TokenBuckets;
  };
  readCaches: ReadCaches;
}
