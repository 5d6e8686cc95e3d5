/**
 * Simulated members for `npm start -- --demo`: the extension core's own code run in Node. Each
 * member tallies a few epochs with `extension/aggregator/epochs.ts`, turns them into noised counts
 * with `reportCounts` (the extension's discrete-Laplace noise, seeded here), builds the
 * Report with `buildReport`, and signs JoinRequest and Report with EIP-712 over the shared types.
 * Keys are derived deterministically, so a restart finds the same members (and skips their join).
 */
import { keccak256, toUtf8Bytes, Wallet } from 'ethers';

import { addActiveMs, addVisit, emptyEpoch, epochStartOf } from '../extension/aggregator/epochs.ts';
import { reportCounts } from '../extension/aggregator/report-counts.ts';
import {
  signedConfigSchema,
  type ConfigCategory,
  type UnionConfig,
} from '../extension/protocol/config.ts';
import {
  asTypes,
  joinRequestTypes,
  reportTypes,
  type UnionDomain,
} from '../extension/protocol/eip712.ts';
import { seededRandom } from '../extension/protocol/noise-seeded-random.ts';
import { categoryById, isSensitiveKey } from '../extension/protocol/taxonomy.ts';
import { signedReportSchema, type SignedReport } from '../extension/protocol/wire.ts';
import { buildReport } from '../extension/report/build-report.ts';
import type { EpochRecord } from '../extension/storage/schema.ts';

export interface SimulatedMember {
  wallet: Wallet;
  categories: number[];
}

/** The `index`-th demo member: the same key on every run. */
export function demoWallet(index: number): Wallet {
  return new Wallet(keccak256(toUtf8Bytes(`crowdsell-demo-member-${index}`)));
}

/** Categories a simulated member may opt into: listed in the config, known, not sensitive. */
export function reportableCategories(config: UnionConfig): ConfigCategory[] {
  return config.categories.filter(
    (c) => !isSensitiveKey(c.key) && categoryById(c.id) !== undefined,
  );
}

/**
 * 2–4 categories per member: the first two reportable ones for everybody (so their cells reach the
 * k threshold), plus up to two more of the next four at random.
 */
export function simulatedMembers(count: number, config: UnionConfig): SimulatedMember[] {
  const pool = reportableCategories(config).map((c) => c.id);
  if (pool.length < 2) throw new Error('The config lists fewer than two reportable categories.');
  const [first, second] = pool as [number, number];
  const extras = pool.slice(2, 6);
  return Array.from({ length: count }, (_, i) => {
    const random = seededRandom(1000 + i);
    const chosen = new Set([first, second]);
    const wanted = Math.floor(random() * 3); // 0–2 extras
    for (let tries = 0; chosen.size < 2 + wanted && tries < 20 && extras.length > 0; tries++) {
      chosen.add(extras[Math.floor(random() * extras.length)]!);
    }
    return { wallet: demoWallet(i), categories: [...chosen].sort((a, b) => a - b) };
  });
}

/**
 * The starts of the last `count` closed epochs, oldest first, leaving out any that closed before
 * `issuedAt` (the config's): the union's product has no config in force for those epochs, and one
 * such report stops its aggregation (`configInForce`), so the demo never sends them.
 */
export function closedEpochs(
  nowMs: number,
  epochSeconds: number,
  count: number,
  issuedAt: number,
): number[] {
  const current = epochStartOf(nowMs, epochSeconds);
  return Array.from({ length: count }, (_, i) => current - (count - i) * epochSeconds).filter(
    (start) => start + epochSeconds > issuedAt,
  );
}

/** One member's simulated browsing tallies for one epoch (the same on every run). */
export function simulatedEpoch(
  member: SimulatedMember,
  config: UnionConfig,
  epochStart: number,
  memberIndex: number,
): EpochRecord {
  const browsing = seededRandom(memberIndex * 100_003 + epochStart);
  let record = emptyEpoch(epochStart, config.epochSeconds);
  member.categories.forEach((category, rank) => {
    // Earlier (common) categories get more attention, so the charts show a shape.
    const visits = Math.floor(browsing() * (12 - rank * 2)) + 1;
    for (let v = 0; v < visits; v++) record = addVisit(record, category);
    record = addActiveMs(record, category, Math.floor(browsing() * (900 - rank * 150) * 1000));
  });
  return record;
}

/** One member's signed report for one epoch, from simulated browsing tallies. */
export async function simulatedReport(
  member: SimulatedMember,
  config: UnionConfig,
  domain: UnionDomain,
  epochStart: number,
  memberIndex: number,
): Promise<SignedReport> {
  const record = simulatedEpoch(member, config, epochStart, memberIndex);
  const counts = reportCounts(record, member.categories, {
    privacy: config.privacy,
    noise: true,
    // A simulation passes a seeded source (noise.ts): a restart re-sends byte-identical reports,
    // which the union answers as duplicates. The real extension uses `cryptoRandom`.
    random: seededRandom(memberIndex * 7_919 + epochStart + 1),
  });
  const report = buildReport({
    member: member.wallet.address,
    epochStart,
    epochSeconds: config.epochSeconds,
    configVersion: config.version,
    counts,
  });
  const signature = await member.wallet.signTypedData(domain, asTypes(reportTypes), report);
  return signedReportSchema.parse({ report, signature });
}

// ---- HTTP --------------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function call(unionUrl: string, path: string, body?: unknown): Promise<Response> {
  for (;;) {
    const response = await fetch(`${unionUrl}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (response.status !== 429) return response;
    // The union limits joins per IP; wait as told and try again.
    const wait = Number(response.headers.get('retry-after') ?? 2);
    await sleep(Math.max(1, Number.isFinite(wait) ? wait : 2) * 1000);
  }
}

async function expectOk(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what} failed: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

export async function fetchConfig(unionUrl: string): Promise<UnionConfig> {
  const body = await expectOk(await call(unionUrl, '/v1/config'), 'GET /v1/config');
  return signedConfigSchema.parse(body).config;
}

/** A member's status and join time (Unix seconds) as the union states them, or null. */
export async function memberRecord(
  unionUrl: string,
  address: string,
): Promise<{ status: string | null; joinedAt: number | null } | null> {
  const response = await call(unionUrl, `/v1/members/${address}`);
  if (response.status === 404) return null;
  const body = (await expectOk(response, 'GET /v1/members')) as {
    status?: unknown;
    joinedAt?: unknown;
  };
  return {
    status: typeof body.status === 'string' ? body.status : null,
    joinedAt:
      typeof body.joinedAt === 'string' ? Math.floor(Date.parse(body.joinedAt) / 1000) : null,
  };
}

export async function memberStatus(unionUrl: string, address: string): Promise<string | null> {
  return (await memberRecord(unionUrl, address))?.status ?? null;
}

/** Joins with the app secret unless already active; returns whether a join was sent. */
export async function joinMember(
  unionUrl: string,
  domain: UnionDomain,
  wallet: Wallet,
  secret: string,
): Promise<boolean> {
  if ((await memberStatus(unionUrl, wallet.address)) === 'active') return false;
  const request = { member: wallet.address, issuedAt: Math.floor(Date.now() / 1000) };
  const signature = await wallet.signTypedData(domain, asTypes(joinRequestTypes), request);
  const body = (await expectOk(
    await call(unionUrl, '/v1/join', { request, signature, secret }),
    `join ${wallet.address}`,
  )) as { member?: { status?: unknown } };
  if (body.member?.status !== 'active') {
    throw new Error(`${wallet.address} joined as ${String(body.member?.status)}, not active.`);
  }
  return true;
}

export interface BatchOutcome {
  accepted: number;
  duplicate: number;
  rejected: number;
  errors: string[];
}

export async function postReports(
  unionUrl: string,
  reports: readonly SignedReport[],
  batchSize = 100,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { accepted: 0, duplicate: 0, rejected: 0, errors: [] };
  for (let i = 0; i < reports.length; i += batchSize) {
    const chunk = reports.slice(i, i + batchSize);
    const body = (await expectOk(
      await call(unionUrl, '/v1/reports/batch', { reports: chunk }),
      'POST /v1/reports/batch',
    )) as {
      accepted: number;
      duplicate: number;
      results: { status: string; error?: { code: string } }[];
    };
    outcome.accepted += body.accepted;
    // A report the union already holds for that (member, epoch) is fine on a restart.
    outcome.duplicate += body.duplicate;
    for (const r of body.results) {
      if (r.error?.code === 'REPORT_CONFLICT') outcome.duplicate++;
      else if (r.error) {
        outcome.rejected++;
        outcome.errors.push(r.error.code);
      }
    }
  }
  return outcome;
}
