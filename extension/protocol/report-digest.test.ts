import fc from 'fast-check';
import { hexlify } from 'ethers';
import { describe, expect, it } from 'vitest';

import { reportTypes, unionDomain } from './eip712.ts';
import { createReportDigester, encodeType, referenceReportDigest } from './report-digest.ts';
import type { Report } from './wire.ts';

const address = fc
  .uint8Array({ minLength: 20, maxLength: 20 })
  .map((b) => hexlify(b))
  .chain((hex) => fc.constantFrom(hex, hex.toUpperCase().replace('0X', '0x')));

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

const report: fc.Arbitrary<Report> = fc.record({
  member: address,
  epochStart: fc.maxSafeNat(),
  epochSeconds: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  configVersion: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  counts: fc
    .uniqueArray(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 })
    .chain((ids) =>
      fc.tuple(...ids.sort((a, b) => a - b).map((id) => fc.tuple(fc.constant(id), int32, int32))),
    )
    .map((rows) =>
      rows.map(([category, visits, activeSeconds]) => ({ category, visits, activeSeconds })),
    ),
});

const domains = fc.record({
  chainId: fc.integer({ min: 1, max: 2 ** 40 }),
  dataUnion: fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => hexlify(b)),
});

describe('fast Report digest', () => {
  it('derives the canonical EIP-712 type string from the shared reportTypes', () => {
    expect(encodeType('Report', reportTypes)).toBe(
      'Report(address member,uint64 epochStart,uint32 epochSeconds,uint32 configVersion,CategoryCount[] counts)' +
        'CategoryCount(uint16 category,int32 visits,int32 activeSeconds)',
    );
  });

  it('equals ethers TypedDataEncoder.hash on random reports, domains and negative counts', async () => {
    await fc.assert(
      fc.asyncProperty(domains, fc.array(report, { minLength: 1, maxLength: 5 }), async (d, rs) => {
        const domain = unionDomain(d.chainId, d.dataUnion);
        const digester = await createReportDigester(domain);
        for (const r of rs) {
          expect(hexlify(digester.digest(r))).toBe(referenceReportDigest(domain, r));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses values outside their Solidity types instead of silently wrapping', async () => {
    const digester = await createReportDigester(unionDomain(1, `0x${'11'.repeat(20)}`));
    const base: Report = {
      member: `0x${'22'.repeat(20)}`,
      epochStart: 0,
      epochSeconds: 86_400,
      configVersion: 1,
      counts: [],
    };
    expect(() => digester.digest({ ...base, epochSeconds: 2 ** 32 })).toThrow(RangeError);
    expect(() =>
      digester.digest({ ...base, counts: [{ category: 1, visits: 2 ** 31, activeSeconds: 0 }] }),
    ).toThrow(RangeError);
    expect(() => digester.digest({ ...base, member: '0x1234' })).toThrow(TypeError);
  });
});
