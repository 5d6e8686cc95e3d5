/**
 * Deploys Crowdsell's contracts and creates a union through the factory: the token (TestToken
 * unless an existing one is given), the locked DataUnion template, the Marketplace (unless an
 * existing one is given) and the DataUnionFactory, made a lister of the Marketplace, once; then
 * the union as a clone whose product, paying the union, is listed in the same transaction. A
 * library for tests and `npm start`, and a CLI for real chains:
 *
 *   RPC_URL=… DEPLOYER_KEY=0x… npx tsx contracts/deploy.ts   # prints the addresses as JSON
 *
 * With FACTORY_ADDRESS it only creates a union through that factory. Optional env: see
 * `deployEnvSchema` in deploy-env.ts.
 */
import { pathToFileURL } from 'node:url';
import { ContractFactory, getAddress, parseUnits } from 'ethers';
import type { InterfaceAbi, Signer } from 'ethers';
import { connectRpc, signerFor } from './chain.ts';
import { parseDeployEnv } from './deploy-env.ts';
import { createUnion } from './factory.ts';
import { dataUnionAbi, dataUnionBytecode } from './generated/data-union.ts';
import {
  dataUnionFactoryAbi,
  dataUnionFactoryAt,
  dataUnionFactoryBytecode,
} from './generated/data-union-factory.ts';
import type { DataUnionFactoryConstructorArgs } from './generated/data-union-factory.ts';
import { marketplaceAbi, marketplaceAt, marketplaceBytecode } from './generated/marketplace.ts';
import { testTokenAbi, testTokenBytecode } from './generated/test-token.ts';

/** One day: long enough for a validator to notice a bad root and the admin to revoke it. */
export const DEFAULT_FREEZE_PERIOD_SECONDS = 86_400n;
/** About one token (18 decimals) per day of subscription. */
export const DEFAULT_PRICE_PER_SECOND = parseUnits('1', 18) / 86_400n;
export const DEFAULT_PRODUCT_NAME = 'Crowdsell browsing data';

export interface StackParams {
  /** An existing ERC-20; default: deploy a TestToken. */
  readonly token?: string;
  /** An existing Marketplace, owned by the deployer (it makes the new factory a lister). */
  readonly marketplace?: string;
}

export interface DeployParams extends StackParams {
  /** An existing DataUnionFactory: only create a union through it (its token is `token`). */
  readonly factory?: string;
  /** Commits roots. Default: the deployer, who is always the admin. */
  readonly operator?: string;
  /** Default: `DEFAULT_FREEZE_PERIOD_SECONDS`. From 60 seconds (contracts/freeze-period.ts) to 30 days. */
  readonly freezePeriodSeconds?: bigint;
  /** Admin share of revenue in 1e18 units (0.1e18 = 10 %). Default 0; at most 0.5e18. */
  readonly adminFeeFraction?: bigint;
  readonly productName?: string;
  /** Token base units per second. Default: `DEFAULT_PRICE_PER_SECOND`. */
  readonly pricePerSecond?: bigint;
  /** The union server's base URL, listed with the product. Default: none (empty). */
  readonly metadataUrl?: string;
  /** CREATE2 salt of the union (32-byte hex). Default: random. */
  readonly salt?: string;
}

/** The shared contracts: deployed once per chain, used by every union. */
export interface Stack {
  readonly chainId: string;
  readonly token: string;
  /** True when `token` is the freshly deployed TestToken (its `mint` is open). */
  readonly testToken: boolean;
  /** The locked DataUnion every union is a clone of. */
  readonly template: string;
  readonly marketplace: string;
  readonly factory: string;
}

/** Everything the union, the console and the extension need to find the contracts. */
export interface Deployment extends Stack {
  readonly dataUnion: string;
  readonly productId: string;
  readonly admin: string;
  readonly operator: string;
  /** Block of the union's creation: where the revenue watcher starts scanning. */
  readonly startBlock: number;
}

async function deployContract(
  signer: Signer,
  abi: InterfaceAbi,
  bytecode: string,
  args: readonly unknown[],
): Promise<string> {
  const contract = await new ContractFactory(abi, bytecode, signer).deploy(...args);
  const receipt = await contract.deploymentTransaction()?.wait();
  if (!receipt) throw new Error('deployment transaction was not mined');
  return contract.getAddress();
}

/**
 * Deploys the token (unless given), the template, the Marketplace (unless given) and the factory,
 * and makes the factory a lister of the Marketplace (the deployer must own it).
 */
export async function deployStack(signer: Signer, params: StackParams = {}): Promise<Stack> {
  const provider = signer.provider;
  if (!provider) throw new Error('the deployer signer must be connected to a provider');
  const deployer = await signer.getAddress();
  if (params.marketplace !== undefined) {
    // Checked before sending anything: only the Marketplace's owner can trust the new factory.
    const marketOwner = await marketplaceAt(params.marketplace, signer).owner();
    if (marketOwner !== deployer) {
      throw new Error(
        `the Marketplace at ${params.marketplace} is owned by ${marketOwner}, not the deployer ${deployer}: only its owner can make a new factory a lister`,
      );
    }
  }
  const token = getAddress(
    params.token ?? (await deployContract(signer, testTokenAbi, testTokenBytecode, [])),
  );
  const marketplace = getAddress(
    params.marketplace ?? (await deployContract(signer, marketplaceAbi, marketplaceBytecode, [])),
  );
  const market = marketplaceAt(marketplace, signer);
  const template = await deployContract(signer, dataUnionAbi, dataUnionBytecode, []);
  const factoryArgs: DataUnionFactoryConstructorArgs = [template, marketplace];
  const factory = await deployContract(
    signer,
    dataUnionFactoryAbi,
    dataUnionFactoryBytecode,
    factoryArgs,
  );
  await (await market.setLister(factory, true)).wait();
  return {
    chainId: (await provider.getNetwork()).chainId.toString(),
    token,
    testToken: params.token === undefined,
    template,
    marketplace,
    factory,
  };
}

/** Creates a union through `stack.factory` with `signer` as admin (and, by default, operator). */
export async function createUnionIn(
  signer: Signer,
  stack: Stack,
  params: DeployParams = {},
): Promise<Deployment> {
  const created = await createUnion(signer, stack.factory, {
    token: stack.token,
    operator: getAddress(params.operator ?? (await signer.getAddress())),
    freezePeriodSeconds: params.freezePeriodSeconds ?? DEFAULT_FREEZE_PERIOD_SECONDS,
    adminFeeFraction: params.adminFeeFraction ?? 0n,
    pricePerSecond: params.pricePerSecond ?? DEFAULT_PRICE_PER_SECOND,
    name: params.productName ?? DEFAULT_PRODUCT_NAME,
    metadataUrl: params.metadataUrl ?? '',
    ...(params.salt !== undefined && { salt: params.salt }),
  });
  return {
    ...stack,
    dataUnion: created.union,
    productId: created.productId,
    admin: created.admin,
    operator: created.operator,
    startBlock: created.blockNumber,
  };
}

/** The stack behind an existing factory; `token` is the union's token (TestToken-ness unknown: false). */
async function existingStack(signer: Signer, factory: string, token: string): Promise<Stack> {
  const provider = signer.provider;
  if (!provider) throw new Error('the deployer signer must be connected to a provider');
  const contract = dataUnionFactoryAt(factory, signer);
  return {
    chainId: (await provider.getNetwork()).chainId.toString(),
    token: getAddress(token),
    testToken: false,
    template: await contract.template(),
    marketplace: await contract.marketplace(),
    factory: getAddress(factory),
  };
}

/**
 * Deploys the stack (or reuses `params.factory`) and creates a union with `signer` as its admin
 * and its product's owner.
 */
export async function deployCrowdsell(
  signer: Signer,
  params: DeployParams = {},
): Promise<Deployment> {
  let stack: Stack;
  if (params.factory !== undefined) {
    if (params.token === undefined) throw new Error('a union on an existing factory needs a token');
    stack = await existingStack(signer, params.factory, params.token);
  } else {
    stack = await deployStack(signer, params);
  }
  return createUnionIn(signer, stack, params);
}

async function main(): Promise<void> {
  const env = parseDeployEnv(process.env);
  const signer = signerFor(env.deployerKey, connectRpc(env.rpcUrl));
  const deployment = await deployCrowdsell(signer, env.params);
  console.log(JSON.stringify(deployment, null, 2));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`deploy failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
