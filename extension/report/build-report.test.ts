import 'fake-indexeddb/auto';

import { verifyTypedData } from 'ethers';
import { describe, expect, it } from 'vitest';

import { asTypes, reportTypes, unionDomain } from '../protocol/eip712.ts';
import { signedReportSchema } from '../protocol/wire.ts';
import { openCrowdsellDb } from '../storage/database.ts';
import { testDomain, uniqueDbName } from '../testing/fixtures.ts';
import { createKeyVault } from '../vault/key-vault.ts';
import { buildReport, serialiseSignedReport, signReport } from './build-report.ts';

describe('report', () => {
  it('is signed by the member key, verified independently with ethers', async () => {
    const db = await openCrowdsellDb(uniqueDbName());
    const vault = createKeyVault({ db, crypto: globalThis.crypto, now: () => 0 });
    const member = await vault.address();
    const report = buildReport({
      member,
      epochStart: 1_764_028_800,
      epochSeconds: 86_400,
      configVersion: 3,
      counts: [
        { category: 345, visits: -2, activeSeconds: 10 },
        { category: 289, visits: 4, activeSeconds: 120 },
      ],
    });
    expect(report.counts.map((c) => c.category)).toEqual([289, 345]);
    const signed = await signReport(vault, testDomain, report);
    expect(verifyTypedData(testDomain, asTypes(reportTypes), report, signed.signature)).toBe(
      member,
    );

    // The serialised body parses back to the same signed report, and binds to one union only.
    const body = serialiseSignedReport(signed);
    expect(signedReportSchema.parse(JSON.parse(body))).toEqual(signed);
    const otherUnion = unionDomain(1, '0x0000000000000000000000000000000000000001');
    expect(verifyTypedData(otherUnion, asTypes(reportTypes), report, signed.signature)).not.toBe(
      member,
    );
    db.close();
  });

  it('refuses to build a report with a category twice', () => {
    expect(() =>
      buildReport({
        member: '0x0000000000000000000000000000000000000001',
        epochStart: 0,
        epochSeconds: 86_400,
        configVersion: 1,
        counts: [
          { category: 1, visits: 0, activeSeconds: 0 },
          { category: 1, visits: 0, activeSeconds: 0 },
        ],
      }),
    ).toThrow();
  });
});
