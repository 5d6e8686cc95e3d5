import { describe, expect, it } from 'vitest';

import { probeUnion, unionOrigin, type ProbeDeps, type UnionProbe } from './union-probe.ts';

/** Why the union is unreachable, or a sentence saying it is not. */
const reasonOf = (probe: UnionProbe) =>
  probe.state === 'unreachable' ? probe.reason : 'it is reachable';

const marketplace = `0x${'ab'.repeat(20)}`;
const productId = `0x${'cd'.repeat(32)}`;
const expected = { chainId: 31337, marketplace, productId };
const URL_ = 'http://127.0.0.1:9999';

const productBody = {
  name: 'Crowdsell browsing aggregates',
  description: 'k-anonymous aggregates',
  categories: [{ id: 1, key: 'shopping', label: 'Shopping' }],
  members: { active: 12 },
  epochs: { count: 3 },
  subscription: {
    chainId: 31337,
    marketplace,
    productId,
    pricePerSecond: '1',
    token: marketplace,
    active: true,
  },
  extra: 'ignored',
};
const sampleBody = {
  period: 'month',
  rows: Array.from({ length: 8 }, (_, i) => ({ period_start: `2026-0${i + 1}-01`, visits: i })),
};

type Route = () => Response | Promise<Response>;

function fakeFetch(routes: Record<string, Route>): typeof fetch {
  return (input: string | URL | Request) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const route = routes[url.pathname + url.search];
    if (!route) return Promise.resolve(new Response('not found', { status: 404 }));
    return Promise.resolve(route());
  };
}

const json = (body: unknown) => () => Response.json(body);
const healthy: Record<string, Route> = {
  '/v1/product': json(productBody),
  '/v1/product/datasheet?format=md': () => new Response('# Datasheet\n'),
  '/v1/product/sample?format=json&period=month': json(sampleBody),
};

const deps = (routes: Record<string, Route>, extra: Partial<ProbeDeps> = {}): ProbeDeps => ({
  fetch: fakeFetch(routes),
  ...extra,
});

describe('probeUnion', () => {
  it('reads name, members, datasheet and a preview of the public sample', async () => {
    const probe = await probeUnion(URL_, expected, deps(healthy));
    expect(probe).toMatchObject({
      state: 'reachable',
      url: URL_,
      name: 'Crowdsell browsing aggregates',
      categories: ['Shopping'],
      members: 12,
      epochsPublished: 3,
      datasheet: { text: '# Datasheet\n' },
      sample: { period: 'month', total: 8 },
    });
    expect(
      probe.state === 'reachable' && 'preview' in probe.sample && probe.sample.preview,
    ).toHaveLength(5);
  });

  it('reports a member count of null for a union that does not publish one', async () => {
    const { members: _omitted, ...older } = productBody;
    const probe = await probeUnion(
      URL_,
      expected,
      deps({ ...healthy, '/v1/product': json(older) }),
    );
    expect(probe).toMatchObject({ state: 'reachable', members: null });
  });

  it('stays reachable without its datasheet or sample, saying why each is missing', async () => {
    const probe = await probeUnion(
      URL_,
      expected,
      deps({ '/v1/product': healthy['/v1/product']! }),
    );
    expect(probe).toMatchObject({
      state: 'reachable',
      datasheet: { problem: '/v1/product/datasheet?format=md answered HTTP 404' },
      sample: { problem: '/v1/product/sample?format=json&period=month answered HTTP 404' },
    });
  });

  it('marks a union whose server cannot be reached unreachable, with the reason', async () => {
    const refused = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    expect(await probeUnion(URL_, expected, { fetch: refused })).toEqual({
      state: 'unreachable',
      url: URL_,
      reason: '/v1/product cannot be reached (network error or no CORS permission)',
    });
  });

  it('marks a union that does not answer in time unreachable', async () => {
    const hanging = ((_input: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error));
      })) as typeof fetch;
    const probe = await probeUnion(URL_, expected, { fetch: hanging, timeoutMs: 10 });
    expect(reasonOf(probe)).toMatch(/did not answer within/);
  });

  it('marks garbage unreachable: not JSON, a wrong shape, an oversized answer', async () => {
    const notJson = await probeUnion(
      URL_,
      expected,
      deps({ ...healthy, '/v1/product': () => new Response('<html>') }),
    );
    expect(notJson).toMatchObject({
      state: 'unreachable',
      reason: '/v1/product did not answer JSON',
    });
    const wrongShape = await probeUnion(
      URL_,
      expected,
      deps({ ...healthy, '/v1/product': json({ ...productBody, members: { active: -1 } }) }),
    );
    expect(wrongShape).toMatchObject({
      state: 'unreachable',
      reason: '/v1/product answered an unexpected shape (members.active)',
    });
    const huge = await probeUnion(
      URL_,
      expected,
      deps({ ...healthy, '/v1/product': () => new Response('x'.repeat(600 * 1024)) }),
    );
    expect(reasonOf(huge)).toMatch(/larger than/);
  });

  it('refuses a server that sells another product, on another chain, or none', async () => {
    const sells = (subscription: unknown) =>
      probeUnion(
        URL_,
        expected,
        deps({ ...healthy, '/v1/product': json({ ...productBody, subscription }) }),
      );
    const other = await sells({ ...productBody.subscription, productId: `0x${'11'.repeat(32)}` });
    expect(reasonOf(other)).toMatch(/^it sells product 0x11111111… on 0xabab/);
    const market = await sells({
      ...productBody.subscription,
      marketplace: `0x${'22'.repeat(20)}`,
    });
    expect(reasonOf(market)).toMatch(/not this one$/);
    const chain = await sells({ ...productBody.subscription, chainId: 1 });
    expect(chain).toMatchObject({ state: 'unreachable', reason: 'it sells on chain 1, not 31337' });
    expect(await sells(null)).toMatchObject({
      state: 'unreachable',
      reason: 'it sells no product on a Marketplace',
    });
  });

  it('never asks a URL that is not https (plain http only on loopback) or carries credentials', async () => {
    const never = (() => {
      throw new Error('must not fetch');
    }) as unknown as typeof fetch;
    for (const [url, reason] of [
      ['http://union.example', 'its URL must use https (got http)'],
      ['javascript:alert(1)', 'its URL must use https (got javascript)'],
      ['https://user:pw@union.example', 'its URL carries credentials'],
      ['not a url', 'its URL is not a valid URL'],
    ] as const) {
      expect(await probeUnion(url, expected, { fetch: never })).toEqual({
        state: 'unreachable',
        url,
        reason,
      });
    }
    expect(unionOrigin('https://union.example/some/path')).toEqual({
      origin: 'https://union.example',
    });
  });
});
