import { TypedDataEncoder } from 'ethers';
import { describe, expect, it } from 'vitest';

import {
  adminWallet,
  makeConfig,
  signConfig,
  testAggregationChoice,
  testDomain,
  testHpkeConfig,
  thrownCode,
} from '../testing/fixtures.ts';
import {
  aggregationFor,
  base64UrlBytes,
  checkTaskContinuity,
  continueTask,
  type AggregationBlock,
} from './config-aggregation.ts';
import {
  acceptSignedConfig,
  checkConfigContent,
  configHash,
  configTypedData,
  type UnionConfig,
} from './config.ts';
import { DEVELOPMENT_LIMITS, STORE_LIMITS, type PrivacyLimits } from './privacy-budget.ts';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

const withBlock = (
  overrides: Partial<AggregationBlock> = {},
  config: UnionConfig = makeConfig(),
): UnionConfig => ({
  ...config,
  aggregation: { ...aggregationFor(config, testAggregationChoice), ...overrides },
});

const check = (config: UnionConfig, limits: PrivacyLimits = STORE_LIMITS) =>
  thrownCode(() => checkConfigContent(config, limits));

/**
 * Taken from the code before the aggregation block existed: a config without the block must hash
 * (and so sign) exactly as it did, or every member's held config would look tampered with.
 */
const golden: UnionConfig = {
  version: 7,
  issuedAt: 1_767_225_600,
  epochSeconds: 86_400,
  categories: [
    {
      id: 243,
      key: 'news',
      label: 'News',
      description: 'News sites.',
      domains: ['crowdsell-news.com'],
    },
    {
      id: 289,
      key: 'shopping',
      label: 'Shopping',
      description: 'Online shops.',
      domains: ['crowdsell-shop.com', 'example-store.com'],
    },
  ],
  privacy: { epsilon: 2, maxVisits: 50, maxActiveSeconds: 14_400, kThreshold: 50 },
  minExtensionVersion: '0.3.1',
};

describe('a config without an aggregation block', () => {
  it('hashes and signs exactly as before the block existed (golden values)', () => {
    const { types, message } = configTypedData(golden);
    expect(configHash(golden)).toBe(
      '0xa18c82854bba80fb1988e2abca76422e91e64acbd281e3d30a14cd1577903164',
    );
    expect(TypedDataEncoder.hash(testDomain, types, message)).toBe(
      '0xcfc107f8b74262d4b9c3e2f0f32946c6239bdb382449def6c6f6aa172c34c4ce',
    );
    expect(check(golden)).toBeNull();
  });

  it('gets a new hash once any field of a block is added or changed', () => {
    const hashes = new Set([
      configHash(golden),
      configHash(withBlock({}, golden)),
      configHash(withBlock({ centralEpsilon: 1.5 }, golden)),
      configHash(withBlock({ helperUrl: 'https://other-helper.example.net/' }, golden)),
      configHash(withBlock({ leaderHpkeConfig: testHpkeConfig(1) }, golden)),
    ]);
    expect(hashes.size).toBe(5);
  });
});

describe('the aggregation block rules', () => {
  it('accept a block that matches the config (2 categories → length 6, 8 bits, chunk 7)', () => {
    const config = withBlock({ leaderHpkeConfig: testHpkeConfig(1) });
    expect(config.aggregation?.vdaf).toEqual({
      type: 'Prio3SumVec',
      length: 6,
      bits: 8,
      chunkLength: 7,
    });
    expect(check(config)).toBeNull();
  });

  it('refuse a VDAF that does not follow from the categories and clip bounds', () => {
    for (const vdaf of [{ length: 9 }, { bits: 9 }, { chunkLength: 6 }] as Partial<
      AggregationBlock['vdaf']
    >[]) {
      const config = withBlock();
      if (!config.aggregation) throw new Error('no block');
      config.aggregation = { ...config.aggregation, vdaf: { ...config.aggregation.vdaf, ...vdaf } };
      expect(check(config)).toBe('CONFIG_AGGREGATION_VDAF');
    }
    expect(() =>
      checkConfigContent(
        withBlock({
          vdaf: { ...aggregationFor(makeConfig(), testAggregationChoice).vdaf, length: 9 },
        }),
      ),
    ).toThrow(
      'The aggregation VDAF (length 9, bits 8, chunk length 7) does not match the 2 categories and clip bounds of this config, which need length 6, bits 8, chunk length 7.',
    );
  });

  it('refuse a new config whose categories changed but whose VDAF did not', () => {
    const before = withBlock();
    const fewer = { ...before, categories: before.categories.slice(0, 1) };
    expect(check(fewer)).toBe('CONFIG_AGGREGATION_VDAF');
    const rederived = withBlock({}, { ...makeConfig(), categories: fewer.categories });
    expect(rederived.aggregation?.vdaf.length).toBe(3);
    expect(check(rederived)).toBeNull();
  });

  it('refuse a VDAF whose bits do not follow a changed clip bound (1,000 visits → 10 bits)', () => {
    const wider = makeConfig({ privacy: { ...makeConfig().privacy, maxVisits: 1000 } });
    expect(check({ ...wider, aggregation: withBlock().aggregation })).toBe(
      'CONFIG_AGGREGATION_VDAF',
    );
    expect(withBlock({}, wider).aggregation?.vdaf.bits).toBe(10);
    expect(check(withBlock({}, wider))).toBeNull();
  });

  it('refuse a time precision other than the epoch and a minimum batch other than k', () => {
    expect(check(withBlock({ timePrecisionSeconds: 3600 }))).toBe(
      'CONFIG_AGGREGATION_TIME_PRECISION',
    );
    expect(check(withBlock({ minBatchSize: 49 }))).toBe('CONFIG_AGGREGATION_MIN_BATCH');
  });

  it('refuse the helper on the leader’s server (same origin), even under another path', () => {
    expect(check(withBlock({ helperUrl: 'https://union.example.org/helper/' }))).toBe(
      'CONFIG_AGGREGATION_SAME_SERVER',
    );
    expect(check(withBlock({ helperUrl: 'https://union.example.org:8443/' }))).toBeNull();
  });

  it('refuse http in store builds and allow it only to this machine under development limits', () => {
    const local = withBlock({
      leaderUrl: 'http://127.0.0.1:8787/',
      helperUrl: 'http://localhost:8788/',
    });
    expect(check(local)).toBe('CONFIG_AGGREGATION_URL');
    const dev = { ...local, epochSeconds: 60, privacy: { ...local.privacy, kThreshold: 2 } };
    const devBlock = withBlock(
      { leaderUrl: 'http://127.0.0.1:8787/', helperUrl: 'http://localhost:8788/' },
      dev,
    );
    expect(check(devBlock, DEVELOPMENT_LIMITS)).toBeNull();
    expect(
      check(withBlock({ helperUrl: 'http://helper.example.net/' }, dev), DEVELOPMENT_LIMITS),
    ).toBe('CONFIG_AGGREGATION_URL');
  });

  it('refuse URLs with credentials, a query or a fragment', () => {
    for (const helperUrl of [
      'https://user:pw@helper.example.net/',
      'https://helper.example.net/?task=1',
      'https://helper.example.net/#x',
    ]) {
      expect(check(withBlock({ helperUrl }))).toBe('CONFIG_AGGREGATION_URL');
    }
  });

  it('refuse an HPKE config that is not a DAP HpkeConfig (helper’s or leader’s)', () => {
    const truncated = testHpkeConfig(2).slice(0, -4);
    expect(check(withBlock({ helperHpkeConfig: truncated }))).toBe('CONFIG_AGGREGATION_HPKE');
    expect(check(withBlock({ leaderHpkeConfig: b64(new Uint8Array([1, 0, 0x20])) }))).toBe(
      'CONFIG_AGGREGATION_HPKE',
    );
    const emptyKey = b64(new Uint8Array([1, 0, 0x20, 0, 1, 0, 1, 0, 0]));
    expect(check(withBlock({ helperHpkeConfig: emptyKey }))).toBe('CONFIG_AGGREGATION_HPKE');
  });

  it('count the central ε against the daily cap with the local ε', () => {
    const at = (epsilon: number, centralEpsilon: number) =>
      withBlock({ centralEpsilon }, makeConfig({ privacy: { ...makeConfig().privacy, epsilon } }));
    expect(check(at(4, 4))).toBeNull();
    expect(check(at(4, 4.01))).toBe('CONFIG_EPSILON_BUDGET');
    expect(() => checkConfigContent(at(4, 4.01))).toThrow(
      'ε 8.01 per 86400-second epoch (4 local + 4.01 central) spends 8.01 in a day, above the cap of 8.',
    );
    expect(check(at(4, 4.01), DEVELOPMENT_LIMITS)).toBeNull();
  });
});

describe('the local-noise option', () => {
  it('is absent by default (off under central noise) and keeps the hash of a block without it', () => {
    const block = withBlock().aggregation;
    expect(block?.localNoise).toBeUndefined();
    const off = withBlock({ localNoise: false });
    expect(check(off)).toBeNull();
    expect(configHash(off)).not.toBe(configHash(withBlock()));
  });

  it('is checked against the daily cap with the local ε whether on or off', () => {
    const at = (localNoise: boolean) =>
      withBlock(
        { centralEpsilon: 4.01, localNoise },
        makeConfig({ privacy: { ...makeConfig().privacy, epsilon: 4 } }),
      );
    expect(check(at(false))).toBe('CONFIG_EPSILON_BUDGET');
    expect(check(at(true))).toBe('CONFIG_EPSILON_BUDGET');
  });

  it('is refused unless a boolean', async () => {
    const signed = await signConfig(withBlock({ localNoise: 'yes' } as never));
    expect(() =>
      acceptSignedConfig(signed, { domain: testDomain, admin: adminWallet.address }),
    ).toThrow('malformed at config.aggregation.localNoise');
  });
});

describe('acceptSignedConfig with an aggregation block', () => {
  const trust = { domain: testDomain, admin: adminWallet.address };

  it('accepts the block the admin signed', async () => {
    const signed = await signConfig(withBlock());
    expect(
      acceptSignedConfig(JSON.parse(JSON.stringify(signed)), trust).config.aggregation,
    ).toEqual(withBlock().aggregation);
  });

  it('refuses a block changed after signing (a swapped helper is not the admin’s config)', async () => {
    const signed = await signConfig(withBlock());
    const swapped = {
      ...signed,
      config: withBlock({ helperUrl: 'https://evil-helper.example.com/' }),
    };
    expect(thrownCode(() => acceptSignedConfig(swapped, trust))).toBe('CONFIG_WRONG_SIGNER');
  });

  it('refuses a signed block that breaks a rule with the rule’s code', async () => {
    const signed = await signConfig(withBlock({ minBatchSize: 3 }));
    expect(thrownCode(() => acceptSignedConfig(signed, trust))).toBe(
      'CONFIG_AGGREGATION_MIN_BATCH',
    );
  });

  it('refuses malformed fields as CONFIG_MALFORMED, naming where', async () => {
    const cases: [Partial<AggregationBlock> | Record<string, unknown>, string][] = [
      [{ taskId: b64(new Uint8Array(31)) }, 'aggregation.taskId'],
      [{ taskId: `${b64(new Uint8Array(32)).slice(0, -1)}B` }, 'aggregation.taskId'],
      [{ helperUrl: 'ftp://helper.example.net/' }, 'aggregation.helperUrl'],
      [{ centralEpsilon: 1.005 }, 'aggregation.centralEpsilon'],
      [{ centralEpsilon: 0.05 }, 'aggregation.centralEpsilon'],
      [
        { vdaf: { type: 'Prio3Histogram', length: 6, bits: 8, chunkLength: 7 } },
        'aggregation.vdaf.type',
      ],
      [{ verifyKey: b64(new Uint8Array(16)) }, 'aggregation'],
    ];
    for (const [overrides, where] of cases) {
      const signed = await signConfig(withBlock(overrides));
      expect(() => acceptSignedConfig(signed, trust)).toThrow(`malformed at config.${where}`);
    }
  });
});

describe('a DAP task across config versions', () => {
  const trust = { domain: testDomain, admin: adminWallet.address };
  const held = withBlock();
  const next = (overrides: Partial<AggregationBlock>, config?: UnionConfig) => ({
    ...withBlock(overrides, config),
    version: 2,
  });

  it('keeps its parameters under its id; the HPKE configs may rotate', async () => {
    const rotated = await signConfig(next({ helperHpkeConfig: testHpkeConfig(3) }));
    expect(acceptSignedConfig(rotated, { ...trust, previous: held }).config.version).toBe(2);
    for (const overrides of [
      { centralEpsilon: 1.25 },
      { helperUrl: 'https://another-helper.example.net/' },
    ]) {
      const changed = await signConfig(next(overrides));
      expect(thrownCode(() => acceptSignedConfig(changed, { ...trust, previous: held }))).toBe(
        'CONFIG_AGGREGATION_TASK_REUSED',
      );
      // Without the held config (a first install) there is nothing to compare with.
      expect(thrownCode(() => acceptSignedConfig(changed, trust))).toBeNull();
    }
  });

  it('refuses changed categories under the same task id, naming what changed', () => {
    const fewer = { ...makeConfig(), categories: makeConfig().categories.slice(1) };
    expect(() => checkTaskContinuity(held, next({}, fewer))).toThrow(
      `Task ${testAggregationChoice.taskId} already runs with another vdaf; a changed task needs a new task id.`,
    );
  });

  it('continueTask names a new task, the same for the same change, only when the task changed', () => {
    const fewer = { ...makeConfig(), categories: makeConfig().categories.slice(1) };
    const changed = next({}, fewer).aggregation!;
    const continued = continueTask(held.aggregation, changed);
    expect(continued.taskId).not.toBe(testAggregationChoice.taskId);
    expect(base64UrlBytes(continued.taskId)).toHaveLength(32);
    expect(continueTask(held.aggregation, changed)).toEqual(continued);
    expect(thrownCode(() => checkTaskContinuity(held, { aggregation: continued }))).toBeNull();
    expect(continueTask(held.aggregation, held.aggregation!)).toEqual(held.aggregation);
    expect(continueTask(undefined, changed)).toEqual(changed);
  });
});

describe('base64UrlBytes', () => {
  it('decodes only the canonical unpadded encoding', () => {
    expect(base64UrlBytes('AAE')).toEqual(new Uint8Array([0, 1]));
    expect(base64UrlBytes('AAF')).toBeNull();
    expect(base64UrlBytes('AAE=')).toBeNull();
    expect(base64UrlBytes('+/8')).toBeNull();
    expect(base64UrlBytes('-_8')).toEqual(new Uint8Array([0xfb, 0xff]));
  });
});
