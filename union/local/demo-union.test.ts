/**
 * The demo's second union. Protects: `npm start -- --demo` lists a second product on the
 * marketplace, made through the same factory by another admin, and a restart finds it again
 * instead of creating a third.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';

import { connectRpc, devAccount, signerFor, startChainServer } from '../../contracts/chain.ts';
import type { ChainServer } from '../../contracts/chain.ts';
import { deployCrowdsell } from '../../contracts/deploy.ts';
import { dataUnionAt } from '../../contracts/generated/data-union.ts';
import { marketplaceAt } from '../../contracts/generated/marketplace.ts';
import { DEMO_SECOND_ADMIN, DEMO_SECOND_NAME, ensureDemoUnion } from './demo-union.ts';

let server: ChainServer;

beforeAll(async () => {
  server = await startChainServer({ port: 0 });
});
afterAll(() => server.close());

it('creates a second union through the factory once, and finds it again', async () => {
  const rpc = connectRpc(server.url);
  const deployment = await deployCrowdsell(signerFor(devAccount(0).privateKey, rpc));
  const options = { chainUrl: server.url, deployment };

  const first = await ensureDemoUnion(options);
  expect(first.created).toBe(true);
  expect(first.union).not.toBe(deployment.dataUnion);
  expect(first.admin).toBe(devAccount(DEMO_SECOND_ADMIN).address);
  const product = await marketplaceAt(deployment.marketplace, rpc).getProduct(first.productId);
  expect([product.owner, product.beneficiary, product.token, product.name]).toEqual([
    first.admin,
    first.union,
    deployment.token,
    DEMO_SECOND_NAME,
  ]);
  expect(await dataUnionAt(first.union, rpc).owner()).toBe(first.admin);

  const again = await ensureDemoUnion(options);
  expect(again).toEqual({ ...first, created: false });
});
