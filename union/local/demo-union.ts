/**
 * `npm start -- --demo`: a second union, created through the same DataUnionFactory by another
 * dev account, so the marketplace lists two products. It runs no union server (a second PGlite
 * database and server would double the demo's memory): its metadata URL points at a port where
 * nothing answers (`DEMO_SECOND_METADATA_URL`), which is what the marketplace page shows for an
 * unreachable union. Created
 * once per chain; a restart finds it again from the factory's `UnionCreated` events.
 */
import { Interface, parseUnits, zeroPadValue } from 'ethers';
import type { Provider } from 'ethers';

import { connectRpc, devAccount, signerFor } from '../../contracts/chain.ts';
import type { Deployment } from '../../contracts/deploy.ts';
import { createUnion } from '../../contracts/factory.ts';
import { dataUnionFactoryAbi } from '../../contracts/generated/data-union-factory.ts';
import type { DataUnionFactoryEvents } from '../../contracts/generated/data-union-factory.ts';

/** Dev account 9 is the second union's admin and operator (0–2 are the first union's roles). */
export const DEMO_SECOND_ADMIN = 9;
export const DEMO_SECOND_NAME = 'Crowdsell demo: a second union (no server)';
/**
 * Port 1 on loopback: nothing listens there, so the connection is refused at once. (The union's
 * port + 1 would be the local DAP helper, which answers something else.)
 */
export const DEMO_SECOND_METADATA_URL = 'http://127.0.0.1:1';

export interface DemoUnion {
  readonly union: string;
  readonly productId: string;
  readonly admin: string;
  /** False when an earlier start had already created it. */
  readonly created: boolean;
}

const factoryInterface = new Interface(dataUnionFactoryAbi);

/** The union `admin` created through `factory`, if any. */
async function existingUnionOf(
  provider: Provider,
  factory: string,
  admin: string,
): Promise<{ union: string; productId: string } | undefined> {
  const event = factoryInterface.getEvent('UnionCreated');
  if (!event) throw new Error('the factory ABI has no UnionCreated event');
  const logs = await provider.getLogs({
    address: factory,
    fromBlock: 0,
    toBlock: 'latest',
    topics: [event.topicHash, null, null, zeroPadValue(admin, 32)],
  });
  const first = logs[0];
  if (!first) return undefined;
  const parsed = factoryInterface.parseLog(first);
  if (!parsed) return undefined;
  const { union, productId } = parsed.args.toObject() as DataUnionFactoryEvents['UnionCreated'];
  return { union, productId };
}

/** Creates the demo's second union unless this chain already has it. */
export async function ensureDemoUnion(options: {
  chainUrl: string;
  deployment: Deployment;
  /** Default: `DEMO_SECOND_METADATA_URL`. */
  metadataUrl?: string;
}): Promise<DemoUnion> {
  const rpc = connectRpc(options.chainUrl);
  const admin = signerFor(devAccount(DEMO_SECOND_ADMIN).privateKey, rpc);
  const existing = await existingUnionOf(rpc, options.deployment.factory, admin.address);
  if (existing) return { ...existing, admin: admin.address, created: false };
  const created = await createUnion(admin, options.deployment.factory, {
    token: options.deployment.token,
    operator: admin.address,
    freezePeriodSeconds: 3_600n,
    adminFeeFraction: parseUnits('0.05', 18),
    pricePerSecond: parseUnits('2', 18) / 86_400n,
    name: DEMO_SECOND_NAME,
    metadataUrl: options.metadataUrl ?? DEMO_SECOND_METADATA_URL,
  });
  return {
    union: created.union,
    productId: created.productId,
    admin: created.admin,
    created: true,
  };
}
