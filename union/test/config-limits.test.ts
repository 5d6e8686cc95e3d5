/**
 * A union without the development allowance (every production union) applies the store limits of
 * extension/protocol/privacy-budget.ts and the sensitive-host rule to every config it is asked to
 * publish, exactly as store builds of the extension do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Db } from '../db/db.ts';
import { signConfig, testConfig } from '../test-support/fixtures.ts';
import { freshPglite } from '../test-support/pglite-template.ts';
import { startTestUnion, type TestUnion } from '../test-support/test-union.ts';

let db: Db;
let t: TestUnion;

beforeAll(async () => {
  db = await freshPglite();
  t = await startTestUnion(db, { developmentPrivacyLimits: false }, false);
}, 60_000);

afterAll(async () => {
  await t?.close();
  await db?.close();
});

const privacy = testConfig(1).privacy;

describe('a production union', () => {
  it('refuses one-minute epochs at ε 8, k below 50, a daily ε over 8 and sensitive rules', async () => {
    const admin = await t.adminClient();
    const put = async (config: ReturnType<typeof testConfig>) =>
      admin<{ error?: { code: string } }>(
        'PUT',
        '/v1/admin/config',
        await signConfig(t.admin, t.domain, config),
      );
    const refusals: [ReturnType<typeof testConfig>, string][] = [
      [
        testConfig(1, { epochSeconds: 60, privacy: { ...privacy, epsilon: 8 } }),
        'CONFIG_EPOCH_TOO_SHORT',
      ],
      [
        testConfig(1, { privacy: { ...privacy, epsilon: 0.25, kThreshold: 2 } }),
        'CONFIG_K_TOO_SMALL',
      ],
      [testConfig(1, { privacy: { ...privacy, epsilon: 2 } }), 'CONFIG_EPSILON_BUDGET'],
      [
        testConfig(1, {
          privacy: { ...privacy, epsilon: 0.25 },
          categories: testConfig(1).categories.map((c, i) =>
            i === 0 ? { ...c, domains: ['pokerstars.com'] } : c,
          ),
        }),
        'CONFIG_SENSITIVE_HOST',
      ],
    ];
    for (const [config, code] of refusals) {
      const r = await put(config);
      expect(r.body.error?.code, code).toBe(code);
      expect(r.status, code).toBe(422);
    }
    const fine = await put(testConfig(1, { privacy: { ...privacy, epsilon: 0.25 } }));
    expect(fine.status).toBe(201);
  });
});
