/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument --
   Response bodies are loosely typed JSON here on purpose: the assertions (expect) check their shape. */
import { getBytes, hexlify } from 'ethers';
import { describe, expect, it } from 'vitest';

import { unionDomain } from '../../../extension/protocol/eip712.ts';
import type { Report } from '../../../extension/protocol/wire.ts';
import {
  CONFIG_CATEGORIES,
  HOUR,
  OTHER_CATEGORY,
  randomWallet,
  signJoin,
  signReport,
  TEST_DATA_UNION,
  testReport,
} from '../../test-support/fixtures.ts';

const [CAT_A, , CAT_C] = CONFIG_CATEGORIES.map((c) => c.id);
import type { Env } from './suite-env.ts';

const N = BigInt('0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');

/** The same signature with s → n − s and v flipped: valid ECDSA, but not canonical. */
function malleate(signature: string): string {
  const bytes = getBytes(signature);
  const s = BigInt(hexlify(bytes.subarray(32, 64)));
  const high = (N - s).toString(16).padStart(64, '0');
  return `${hexlify(bytes.subarray(0, 32))}${high}${bytes[64] === 27 ? '1c' : '1b'}`;
}

export function reportsSuite(env: Env): void {
  describe('POST /v1/reports', () => {
    it('accepts a report signed with the shared EIP-712 types (201), stores it once, answers a resend 200', async () => {
      const { t, db } = env();
      const member = await t.activeMember();
      const signed = await signReport(member, t.domain, testReport(member, t.clock.nowSeconds()));
      const first = await t.call('POST', '/v1/reports', signed);
      expect(first.status).toBe(201);
      expect(first.body).toEqual({ status: 'accepted' });
      const stored = await db.query<{ n: number; signature: string; report: string }>(
        'SELECT count(*)::int AS n, min(signature) AS signature, min(report) AS report FROM reports WHERE member = $1',
        [member.address.toLowerCase()],
      );
      expect(stored.rows[0]).toMatchObject({ n: 1, signature: signed.signature.toLowerCase() });
      expect(JSON.parse(stored.rows[0]!.report)).toEqual(signed.report);
      const again = await t.call('POST', '/v1/reports', signed);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ status: 'duplicate' });
      const admin = await t.adminClient();
      const listed = await admin('GET', '/v1/admin/members?status=active&limit=1000');
      const row = listed.body.members.find(
        (m: { address: string }) => m.address === member.address.toLowerCase(),
      );
      expect(Date.parse(row.lastReportAt)).toBe(t.clock.now());
    });

    it('keeps the first report for an epoch: different content is 409 REPORT_CONFLICT', async () => {
      const { t } = env();
      const member = await t.activeMember();
      const report = testReport(member, t.clock.nowSeconds(), 2);
      expect(
        (await t.call('POST', '/v1/reports', await signReport(member, t.domain, report))).status,
      ).toBe(201);
      const changed: Report = {
        ...report,
        counts: [{ category: CAT_A!, visits: 9, activeSeconds: 9 }],
      };
      const r = await t.call('POST', '/v1/reports', await signReport(member, t.domain, changed));
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('REPORT_CONFLICT');
    });

    it('refuses reports from pending or unknown members (403 MEMBER_NOT_ACTIVE)', async () => {
      const { t } = env();
      const pending = randomWallet();
      await t.call('POST', '/v1/join', await signJoin(pending, t.domain, t.clock.nowSeconds()));
      for (const who of [pending, randomWallet()]) {
        const r = await t.call(
          'POST',
          '/v1/reports',
          await signReport(who, t.domain, testReport(who, t.clock.nowSeconds())),
        );
        expect(r.status).toBe(403);
        expect(r.body.error.code).toBe('MEMBER_NOT_ACTIVE');
      }
    });

    it('refuses signatures by another key, for another chain id or contract, or malleated (401)', async () => {
      const { t } = env();
      const member = await t.activeMember();
      const report = testReport(member, t.clock.nowSeconds(), 3);
      const byOther = await signReport(randomWallet(), t.domain, report);
      const otherChain = await signReport(member, unionDomain(1, TEST_DATA_UNION), report);
      const otherContract = await signReport(
        member,
        unionDomain(t.domain.chainId, `0x${'33'.repeat(20)}`),
        report,
      );
      const good = await signReport(member, t.domain, report);
      const malleated = { ...good, signature: malleate(good.signature) };
      for (const body of [byOther, otherChain, otherContract, malleated]) {
        const r = await t.call('POST', '/v1/reports', body);
        expect(r.status).toBe(401);
        expect(r.body.error.code).toBe('REPORT_BAD_SIGNATURE');
      }
      expect((await t.call('POST', '/v1/reports', good)).status).toBe(201);
    });

    it('applies the epoch, config, category and value rules (422 with a stable code each)', async () => {
      const { t } = env();
      const member = await t.activeMember();
      const now = t.clock.nowSeconds();
      const base = testReport(member, now, 4);
      const cases: [string, Report][] = [
        ['REPORT_UNKNOWN_CONFIG', { ...base, configVersion: 999 }],
        [
          'REPORT_EPOCH_LENGTH',
          { ...base, epochSeconds: 2 * HOUR, epochStart: Math.floor(now / 7200) * 7200 - 4 * 7200 },
        ],
        ['REPORT_EPOCH_MISALIGNED', { ...base, epochStart: base.epochStart + 60 }],
        ['REPORT_EPOCH_NOT_CLOSED', testReport(member, now, 0)],
        ['REPORT_EPOCH_TOO_OLD', testReport(member, now, 8 * 24)],
        ['REPORT_EMPTY', { ...base, counts: [] }],
        [
          'REPORT_UNKNOWN_CATEGORY',
          { ...base, counts: [{ category: OTHER_CATEGORY.id, visits: 1, activeSeconds: 1 }] },
        ],
        [
          'REPORT_VALUE_OUT_OF_RANGE',
          { ...base, counts: [{ category: CAT_A!, visits: 100_000, activeSeconds: 1 }] },
        ],
        [
          'REPORT_VALUE_OUT_OF_RANGE',
          { ...base, counts: [{ category: CAT_A!, visits: 1, activeSeconds: -10_000_000 }] },
        ],
      ];
      for (const [code, report] of cases) {
        const r = await t.call('POST', '/v1/reports', await signReport(member, t.domain, report));
        expect(r.body.error?.code, code).toBe(code);
        expect(r.status).toBe(422);
      }
    });

    it('refuses malformed reports with 400 BAD_REQUEST', async () => {
      const { t } = env();
      const member = await t.activeMember();
      const good = await signReport(member, t.domain, testReport(member, t.clock.nowSeconds(), 5));
      const unsorted = { ...good.report, counts: [...good.report.counts].reverse() };
      for (const body of [
        {},
        { report: good.report },
        { ...good, extra: true },
        { ...good, report: unsorted },
        { ...good, report: { ...good.report, epochStart: -1 } },
      ]) {
        const r = await t.call('POST', '/v1/reports', body);
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('BAD_REQUEST');
      }
    });

    it('rate-limits reports per member (429) and upload requests per IP (429)', async () => {
      const { t } = env();
      const member = await t.activeMember();
      const perMember = await t.sibling({
        rateLimits: { joinsPerIp: 0, reportRequestsPerIp: 0, reportsPerMember: 1, adminPerIp: 0 },
      });
      try {
        const one = await perMember.call(
          'POST',
          '/v1/reports',
          await signReport(member, t.domain, testReport(member, t.clock.nowSeconds(), 6)),
        );
        expect(one.status).toBe(201);
        const two = await perMember.call(
          'POST',
          '/v1/reports',
          await signReport(member, t.domain, testReport(member, t.clock.nowSeconds(), 7)),
        );
        expect(two.status).toBe(429);
        expect(two.body.error.code).toBe('RATE_LIMITED');
      } finally {
        await perMember.close();
      }
      const perIp = await t.sibling({
        rateLimits: { joinsPerIp: 0, reportRequestsPerIp: 1, reportsPerMember: 0, adminPerIp: 0 },
      });
      try {
        expect((await perIp.call('POST', '/v1/reports', {})).status).toBe(400);
        const limited = await perIp.call('POST', '/v1/reports', {});
        expect(limited.status).toBe(429);
        expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      } finally {
        await perIp.close();
      }
    });
  });

  describe('POST /v1/reports/batch', () => {
    it('answers each item in order; the first copy of an epoch in a batch wins', async () => {
      const { t, db } = env();
      const [a, b] = [await t.activeMember(), await t.activeMember()];
      const now = t.clock.nowSeconds();
      const a1 = await signReport(a, t.domain, testReport(a, now, 1));
      const a2 = await signReport(a, t.domain, testReport(a, now, 2));
      const b1 = await signReport(b, t.domain, testReport(b, now, 1));
      const b1changed = await signReport(
        b,
        t.domain,
        testReport(b, now, 1, { counts: [{ category: CAT_C!, visits: 1, activeSeconds: 60 }] }),
      );
      const r = await t.call('POST', '/v1/reports/batch', {
        reports: [
          a1,
          a2,
          b1,
          b1changed,
          a1,
          { nonsense: true },
          await signReport(randomWallet(), t.domain, testReport(a, now, 3)),
        ],
      });
      expect(r.status).toBe(200);
      expect(
        r.body.results.map(
          (x: { status: string; error?: { code: string } }) => x.error?.code ?? x.status,
        ),
      ).toEqual([
        'accepted',
        'accepted',
        'accepted',
        'REPORT_CONFLICT',
        'duplicate',
        'BAD_REQUEST',
        'REPORT_BAD_SIGNATURE',
      ]);
      expect(r.body).toMatchObject({ accepted: 3, duplicate: 1, rejected: 3 });
      const stored = await db.query<{ report: string }>(
        'SELECT report FROM reports WHERE member = $1 AND epoch_start = $2',
        [b.address.toLowerCase(), b1.report.epochStart],
      );
      expect(JSON.parse(stored.rows[0]!.report)).toEqual(b1.report);
    });

    it('refuses an empty, oversized or malformed batch envelope with 400', async () => {
      const { t } = env();
      for (const body of [
        { reports: [] },
        { reports: new Array(501).fill({}) },
        { items: [] },
        [],
      ]) {
        const r = await t.call('POST', '/v1/reports/batch', body);
        expect(r.status).toBe(400);
        expect(r.body.error.code).toBe('BAD_REQUEST');
      }
    });

    it('counts accepted and rejected reports by reason in /metrics', async () => {
      const r = await env().t.call('GET', '/metrics');
      expect(r.text).toMatch(/crowdsell_reports_accepted_total [1-9]/);
      expect(r.text).toMatch(/crowdsell_reports_rejected_total\{reason="REPORT_CONFLICT"\} [1-9]/);
      expect(r.text).toMatch(/crowdsell_reports_duplicate_total [1-9]/);
    });
  });
}
