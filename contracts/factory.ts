/**
 * Creating a union through the DataUnionFactory from TypeScript: one transaction, read back from
 * its `UnionCreated` event. Browser-safe (ethers and the generated artifacts only), so the
 * console's "Create a union" form, contracts/deploy.ts and the e2e share it.
 *
 *   const tx = await sendCreateUnion(adminSigner, factoryAddress, settings); // wallet prompt
 *   const created = unionCreatedIn(await tx.wait(), factoryAddress);         // after mining
 *   // or both at once: await createUnion(adminSigner, factoryAddress, settings)
 *
 * The signer becomes the union's admin and its product's owner. docs/contracts.md describes the
 * contracts; the marketplace page reads `ProductCreated` and `ProductMetadataSet` (whose
 * `metadataUrl` is the union server's base URL) from the Marketplace.
 */
import {
  AbiCoder,
  Interface,
  getAddress,
  hexlify,
  isHexString,
  keccak256,
  randomBytes,
} from 'ethers';
import type { ContractTransactionResponse, Signer, TransactionReceipt } from 'ethers';
import { dataUnionAbi } from './generated/data-union.ts';
import { dataUnionFactoryAbi, dataUnionFactoryAt } from './generated/data-union-factory.ts';
import type { DataUnionFactoryEvents } from './generated/data-union-factory.ts';
import { marketplaceAbi } from './generated/marketplace.ts';

/** What the admin chooses for a new union (the factory's `UnionParams`). */
export interface UnionSettings {
  /** The ERC-20 the union earns and pays out, and its product's payment token. */
  readonly token: string;
  /** The account that commits roots (the union server's operator key). */
  readonly operator: string;
  /** From 60 seconds (local chains) to 30 days; production unions want hours to a day. */
  readonly freezePeriodSeconds: bigint;
  /** Admin share of revenue in 1e18 units (0.1e18 = 10 %), at most 0.5e18. */
  readonly adminFeeFraction: bigint;
  /** Token base units per second of subscription. */
  readonly pricePerSecond: bigint;
  /** The product's name on the marketplace. */
  readonly name: string;
  /** The union server's base URL, e.g. `https://union.example` (the marketplace page fetches it). */
  readonly metadataUrl: string;
  /** 32 bytes, 0x-hex; default random. One admin cannot use a salt twice. */
  readonly salt?: string;
}

/** The new union, as the `UnionCreated` event and its receipt tell. */
export interface CreatedUnion {
  readonly union: string;
  readonly productId: string;
  readonly admin: string;
  readonly operator: string;
  readonly token: string;
  readonly freezePeriod: bigint;
  readonly adminFeeFraction: bigint;
  readonly txHash: string;
  /** Block of the creation: where a union server's revenue watcher starts (`START_BLOCK`). */
  readonly blockNumber: number;
}

/**
 * Every custom error `createUnion` can revert with: the factory's, `DataUnion.initialize`'s
 * (AdminFeeTooHigh, FreezePeriodTooShort, …) and the Marketplace's (NotLister, …), for decoding
 * a revert into a name with `new Interface(createUnionErrorsAbi).parseError(data)`.
 */
export const createUnionErrorsAbi = [
  ...dataUnionFactoryAbi,
  ...dataUnionAbi,
  ...marketplaceAbi,
].filter((item) => item.type === 'error');

const factoryInterface = new Interface(dataUnionFactoryAbi);

/** A factory union's product id, as `DataUnionFactory.productIdOf`: `keccak256(abi.encode("crowdsell", union))`. */
export function unionProductId(union: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(['string', 'address'], ['crowdsell', union]));
}

/** Sends the factory transaction; resolves once the wallet has signed and sent it. */
export function sendCreateUnion(
  signer: Signer,
  factory: string,
  settings: UnionSettings,
): Promise<ContractTransactionResponse> {
  const salt = settings.salt ?? hexlify(randomBytes(32));
  if (!isHexString(salt, 32)) throw new TypeError('salt must be 32 bytes of 0x-prefixed hex');
  return dataUnionFactoryAt(factory, signer).createUnion({
    token: settings.token,
    operator: settings.operator,
    freezePeriod: settings.freezePeriodSeconds,
    adminFeeFraction: settings.adminFeeFraction,
    pricePerSecond: settings.pricePerSecond,
    name: settings.name,
    metadataUrl: settings.metadataUrl,
    salt,
  });
}

/** The union a mined factory transaction created; throws if the receipt has no `UnionCreated`. */
export function unionCreatedIn(receipt: TransactionReceipt | null, factory: string): CreatedUnion {
  if (!receipt) throw new Error('the createUnion transaction was not mined');
  if (receipt.status !== 1) throw new Error(`createUnion transaction ${receipt.hash} reverted`);
  const from = getAddress(factory);
  for (const log of receipt.logs) {
    if (getAddress(log.address) !== from) continue;
    const parsed = factoryInterface.parseLog(log);
    if (parsed?.name !== 'UnionCreated') continue;
    const event = parsed.args.toObject() as DataUnionFactoryEvents['UnionCreated'];
    return {
      union: event.union,
      productId: event.productId,
      admin: event.admin,
      operator: event.operator,
      token: event.token,
      freezePeriod: event.freezePeriod,
      adminFeeFraction: event.adminFeeFraction,
      txHash: receipt.hash,
      blockNumber: receipt.blockNumber,
    };
  }
  throw new Error(`transaction ${receipt.hash} created no union at factory ${from}`);
}

/** Creates a union with `signer` as admin and waits for it to be mined. */
export async function createUnion(
  signer: Signer,
  factory: string,
  settings: UnionSettings,
): Promise<CreatedUnion> {
  const tx = await sendCreateUnion(signer, factory, settings);
  return unionCreatedIn(await tx.wait(), factory);
}
