import { Wallet } from 'ethers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { SignedConfig } from '../protocol/config.ts';
import { unionDomain } from '../protocol/eip712.ts';
import { DEVELOPMENT_LIMITS } from '../protocol/privacy-budget.ts';
import { startFakeUnion, type FakeUnion } from '../testing/fake-union.ts';
import { adminWallet, makeConfig, signConfig, testDomain } from '../testing/fixtures.ts';
import { fetchConfig, judgeConfig } from './config-store.ts';

const trust = { domain: testDomain, admin: adminWallet.address };

describe('config acceptance', () => {
  it('accepts a config signed by the admin, newer than the one held', async () => {
    const v1 = await signConfig(makeConfig({ version: 1 }));
    const v2 = await signConfig(makeConfig({ version: 2 }));
    expect(judgeConfig(v1, undefined, trust)).toMatchObject({
      kind: 'accepted',
      previousVersion: null,
    });
    expect(judgeConfig(v2, v1, trust)).toMatchObject({ kind: 'accepted', previousVersion: 1 });
  });

  it('treats the config it holds as unchanged, not as a rollback', async () => {
    const v1 = await signConfig(makeConfig());
    expect(judgeConfig(structuredClone(v1), v1, trust)).toEqual({ kind: 'unchanged', version: 1 });
  });

  const refusals: [string, () => Promise<unknown>, string][] = [
    [
      'a wrong signer',
      () => signConfig(makeConfig(), Wallet.createRandom()),
      'CONFIG_WRONG_SIGNER',
    ],
    [
      'a signature for another union',
      () => signConfig(makeConfig(), adminWallet, unionDomain(1, adminWallet.address)),
      'CONFIG_WRONG_SIGNER',
    ],
    [
      'a sensitive category',
      () =>
        signConfig(
          makeConfig({
            categories: [{ id: 9999, key: 'gambling', label: 'G', description: 'G.', domains: [] }],
          }),
        ),
      'CONFIG_SENSITIVE_CATEGORY',
    ],
    [
      'an unknown category',
      () =>
        signConfig(
          makeConfig({
            categories: [
              { id: 65_000, key: 'mystery', label: 'M', description: 'M.', domains: [] },
            ],
          }),
        ),
      'CONFIG_UNKNOWN_CATEGORY',
    ],
    [
      'ε above the bound (noise switched off in effect)',
      () => signConfig(makeConfig({ privacy: { ...makeConfig().privacy, epsilon: 50 } })),
      'CONFIG_MALFORMED',
    ],
    [
      'k below the bound',
      () => signConfig(makeConfig({ privacy: { ...makeConfig().privacy, kThreshold: 1 } })),
      'CONFIG_MALFORMED',
    ],
    [
      'a domain rule naming a sensitive host (Shopping counting a casino site)',
      () =>
        signConfig(
          makeConfig({
            categories: makeConfig().categories.map((c) =>
              c.key === 'shopping' ? { ...c, domains: [...c.domains, 'pokerstars.com'] } : c,
            ),
          }),
        ),
      'CONFIG_SENSITIVE_HOST',
    ],
    [
      'a domain rule whose name trips the sensitive word wire',
      () =>
        signConfig(
          makeConfig({
            categories: makeConfig().categories.map((c) =>
              c.key === 'news' ? { ...c, domains: ['city-dating.com'] } : c,
            ),
          }),
        ),
      'CONFIG_SENSITIVE_HOST',
    ],
    [
      'more than 5000 domain rules in all',
      () =>
        signConfig(
          makeConfig({
            categories: makeConfig().categories.map((c, i) => ({
              ...c,
              domains: Array.from({ length: 2600 }, (_, j) => `site-${i}-${j}.com`),
            })),
          }),
        ),
      'CONFIG_TOO_MANY_RULES',
    ],
    [
      'one-minute epochs at ε 8 (11,520 a day) in a store build',
      () =>
        signConfig(
          makeConfig({ epochSeconds: 60, privacy: { ...makeConfig().privacy, epsilon: 8 } }),
        ),
      'CONFIG_EPOCH_TOO_SHORT',
    ],
    [
      'hourly epochs at ε 2 (48 a day) in a store build',
      () => signConfig(makeConfig({ epochSeconds: 3600 })),
      'CONFIG_EPSILON_BUDGET',
    ],
    [
      'k = 2 in a store build',
      () => signConfig(makeConfig({ privacy: { ...makeConfig().privacy, kThreshold: 2 } })),
      'CONFIG_K_TOO_SMALL',
    ],
    [
      'malformed JSON shape',
      () => Promise.resolve({ config: { version: 'x' } }),
      'CONFIG_MALFORMED',
    ],
    [
      'a tampered config under a valid signature',
      async () => {
        const signed = await signConfig(makeConfig());
        return { ...signed, config: { ...signed.config, epochSeconds: 3600 } };
      },
      'CONFIG_WRONG_SIGNER',
    ],
  ];

  it.each(refusals)('refuses %s', async (_label, make, code) => {
    expect(judgeConfig(await make(), undefined, trust)).toMatchObject({ kind: 'refused', code });
  });

  it('accepts one-minute epochs and k = 2 in a development build only', async () => {
    const quick = await signConfig(
      makeConfig({ epochSeconds: 60, privacy: { ...makeConfig().privacy, kThreshold: 2 } }),
    );
    expect(judgeConfig(quick, undefined, trust)).toMatchObject({ kind: 'refused' });
    expect(judgeConfig(quick, undefined, { ...trust, limits: DEVELOPMENT_LIMITS })).toMatchObject({
      kind: 'accepted',
    });
  });

  it('refuses a rollback to an older or equal version', async () => {
    const v2 = await signConfig(makeConfig({ version: 2 }));
    const v1 = await signConfig(makeConfig({ version: 1 }));
    const otherV2 = await signConfig(makeConfig({ version: 2, epochSeconds: 3600 }));
    expect(judgeConfig(v1, v2, trust)).toMatchObject({ kind: 'refused', code: 'CONFIG_ROLLBACK' });
    expect(judgeConfig(otherV2, v2, trust)).toMatchObject({
      kind: 'refused',
      code: 'CONFIG_ROLLBACK',
    });
  });
});

describe('config download', () => {
  let union: FakeUnion;
  let held: SignedConfig;
  beforeEach(async () => {
    union = await startFakeUnion();
    held = await signConfig(makeConfig());
  });
  afterEach(() => union.close());

  const deps = () => ({ fetch, unionUrl: union.url, ...trust });

  it('fetches and accepts the union’s config', async () => {
    union.config = await signConfig(makeConfig({ version: 2 }));
    expect(await fetchConfig(deps(), held)).toMatchObject({ kind: 'accepted' });
  });

  it('reports a missing config or an unreachable union as a refusal (the caller keeps its own)', async () => {
    expect(await fetchConfig(deps(), held)).toMatchObject({ code: 'CONFIG_UNAVAILABLE' });
    await union.close();
    expect(await fetchConfig(deps(), held)).toMatchObject({ code: 'UNION_UNREACHABLE' });
  });
});
