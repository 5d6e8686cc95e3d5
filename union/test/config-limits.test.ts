/**
 * A union without the development allowance (every production union) applies the store limits of
 * extension/protocol/privacy-budget.ts and the sensitive-host rule to every config it is asked to
 * publish, exactly as store builds of the extension do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { aggregationFor } from '../../extension/protocol/config-aggregation.ts';
import type { UnionConfig } from '../../extension/protocol/config.ts';
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

describe('a production union and the aggregation block', () => {
  const local = { ...privacy, epsilon: 0.2 };
  const choice = {
    taskId: Buffer.alloc(32, 3).toString('base64url'),
    leaderUrl: 'https://union.example.org/',
    helperUrl: 'https://helper.example.net/',
    helperHpkeConfig: Buffer.from([1, 0, 0x20, 0, 1, 0, 1, 0, 2, 7, 7]).toString('base64url'),
    centralEpsilon: 0.13,
  };
  const withBlock = (version: number, overrides: Partial<UnionConfig> = {}) => {
    const config = testConfig(version, { privacy: local, ...overrides });
    return { ...config, aggregation: aggregationFor(config, choice) };
  };

  it('publishes a block that matches the config, serves it as signed, and refuses a stale one', async () => {
    const admin = await t.adminClient();
    const put = async (config: UnionConfig) =>
      admin<{ error?: { code: string } }>(
        'PUT',
        '/v1/admin/config',
        await signConfig(t.admin, t.domain, config),
      );
    const current = (await t.call<{ config: UnionConfig }>('GET', '/v1/config')).body.config
      .version;
    const first = withBlock(current + 1);
    const refusals: [UnionConfig, string][] = [
      [
        { ...first, aggregation: { ...first.aggregation, minBatchSize: 3 } },
        'CONFIG_AGGREGATION_MIN_BATCH',
      ],
      [
        { ...first, aggregation: { ...first.aggregation, helperUrl: 'http://127.0.0.1:8788/' } },
        'CONFIG_AGGREGATION_URL',
      ],
      // 0.2 local + 0.14 central per hourly epoch is 8.16 a day.
      [
        { ...first, aggregation: { ...first.aggregation, centralEpsilon: 0.14 } },
        'CONFIG_EPSILON_BUDGET',
      ],
    ];
    for (const [config, code] of refusals) {
      const r = await put(config);
      expect(r.body.error?.code, code).toBe(code);
      expect(r.status, code).toBe(422);
    }
    expect((await put(first)).status).toBe(201);
    const served = await t.call<{ config: UnionConfig }>('GET', '/v1/config');
    expect(served.body.config.aggregation).toEqual(first.aggregation);

    // One category fewer: the block signed for three categories no longer fits.
    const fewer = { ...first, version: first.version + 1, categories: first.categories.slice(1) };
    const stale = await put(fewer);
    expect(stale.body.error?.code).toBe('CONFIG_AGGREGATION_VDAF');
    // Re-derived, it is another task: under the same task id it is refused, under a new one fine.
    const rederived = withBlock(first.version + 1, { categories: first.categories.slice(1) });
    expect(rederived.aggregation.vdaf.length).toBe(6);
    const reused = await put(rederived);
    expect(reused.body.error?.code).toBe('CONFIG_AGGREGATION_TASK_REUSED');
    expect(reused.status).toBe(409);
    const newTask = Buffer.alloc(32, 4).toString('base64url');
    const renamed = { ...rederived, aggregation: { ...rederived.aggregation, taskId: newTask } };
    expect((await put(renamed)).status).toBe(201);
  });
});
