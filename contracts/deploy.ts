/**
 * Deploys a Crowdsell union: the token (TestToken unless an existing one is given), the
 * DataUnion, the Marketplace (unless an existing one is given) and the union's product, whose
 * beneficiary is the DataUnion. A library for tests and `npm start`, and a CLI for real chains:
 *
 *   RPC_URL=… DEPLOYER_KEY=0x… npx tsx contracts/deploy.ts   # prints the addresses as JSON
 *
 * Optional env: see `deployEnvSchema` in deploy-env.ts.
 */
import { pathToFileURL } from 'node:url';
import { AbiCoder, ContractFactory, getAddress, keccak256, parseUnits } from 'ethers';
import type { InterfaceAbi, Signer } from 'ethers';
import { connectRpc, signerFor } from './chain.ts';
import { parseDeployEnv } from './deploy-env.ts';
import { dataUnionAbi, dataUnionBytecode } from './generated/data-union.ts';
import type { DataUnionConstructorArgs } from './generated/data-union.ts';
import { marketplaceAbi, marketplaceAt, marketplaceBytecode } from './generated/marketplace.ts';
import { testTokenAbi, testTokenBytecode } from './generated/test-token.ts';

/** One day: long enough for a validator to notice a bad root and the admin to revoke it. */
export const DEFAULT_FREEZE_PERIOD_SECONDS = 86_400n;
/** About one token (18 decimals) per day of subscription. */
export const DEFAULT_PRICE_PER_SECOND = parseUnits('1', 18) / 86_400n;
export const DEFAULT_PRODUCT_NAME = 'Crowdsell browsing data';

export interface DeployParams {
  /** Admin (owner) of the DataUnion. Default: the deployer. */
  readonly admin?: string;
  /** Commits roots. Default: the deployer. */
  readonly operator?: string;
  /** Default: `DEFAULT_FREEZE_PERIOD_SECONDS`. From 60 seconds (contracts/freeze-period.ts) to 30 days. */
  readonly freezePeriodSeconds?: bigint;
  /** Admin share of revenue in 1e18 units (0.1e18 = 10 %). Default 0; at most 0.5e18. */
  readonly adminFeeFraction?: bigint;
  /** An existing ERC-20; default: deploy a TestToken. */
  readonly token?: string;
  /** An existing Marketplace; default: deploy one. */
  readonly marketplace?: string;
  /** Default: derived from the DataUnion address (`unionProductId`). */
  readonly productId?: string;
  readonly productName?: string;
  /** Token base units per second. Default: `DEFAULT_PRICE_PER_SECOND`. */
  readonly pricePerSecond?: bigint;
}

/** Everything the union, the console and the extension need to find the contracts. */
export interface Deployment {
  readonly chainId: string;
  readonly token: string;
  /** True when `token` is the freshly deployed TestToken (its `mint` is open). */
  readonly testToken: boolean;
  readonly dataUnion: string;
  readonly marketplace: string;
  readonly productId: string;
  readonly admin: string;
  readonly operator: string;
  /** Block of the DataUnion deployment: where the revenue watcher starts scanning. */
  readonly startBlock: number;
}

/** The default product id of a union: `keccak256(abi.encode("crowdsell", dataUnion))`. */
export function unionProductId(dataUnion: string): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(['string', 'address'], ['crowdsell', dataUnion]),
  );
}

async function deployContract(
  signer: Signer,
  abi: InterfaceAbi,
  bytecode: string,
  args: readonly unknown[],
): Promise<{ address: string; blockNumber: number }> {
  const contract = await new ContractFactory(abi, bytecode, signer).deploy(...args);
  const receipt = await contract.deploymentTransaction()?.wait();
  if (!receipt) throw new Error('deployment transaction was not mined');
  return { address: await contract.getAddress(), blockNumber: receipt.blockNumber };
}

/** Deploys a union with `signer` (it pays and, by default, becomes admin and operator). */
export async function deployCrowdsell(
  signer: Signer,
  params: DeployParams = {},
): Promise<Deployment> {
  const provider = signer.provider;
  if (!provider) throw new Error('the deployer signer must be connected to a provider');
  const deployer = await signer.getAddress();
  const admin = getAddress(params.admin ?? deployer);
  const operator = getAddress(params.operator ?? deployer);

  const token = getAddress(
    params.token ?? (await deployContract(signer, testTokenAbi, testTokenBytecode, [])).address,
  );
  const unionArgs: DataUnionConstructorArgs = [
    token,
    admin,
    operator,
    params.freezePeriodSeconds ?? DEFAULT_FREEZE_PERIOD_SECONDS,
    params.adminFeeFraction ?? 0n,
  ];
  const union = await deployContract(signer, dataUnionAbi, dataUnionBytecode, unionArgs);
  const marketplace = getAddress(
    params.marketplace ??
      (await deployContract(signer, marketplaceAbi, marketplaceBytecode, [])).address,
  );

  const productId = params.productId ?? unionProductId(union.address);
  const market = marketplaceAt(marketplace, signer);
  const tx = await market.createProduct(
    productId,
    params.productName ?? DEFAULT_PRODUCT_NAME,
    union.address,
    token,
    params.pricePerSecond ?? DEFAULT_PRICE_PER_SECOND,
  );
  await tx.wait();
  // Product ids are first come, first served: make sure the product is ours and pays the union.
  const product = await market.getProduct(productId);
  if (product.owner !== deployer || product.beneficiary !== union.address) {
    throw new Error(
      `product ${productId} is not owned by ${deployer} with the DataUnion as beneficiary`,
    );
  }

  return {
    chainId: (await provider.getNetwork()).chainId.toString(),
    token,
    testToken: params.token === undefined,
    dataUnion: union.address,
    marketplace,
    productId,
    admin,
    operator,
    startBlock: union.blockNumber,
  };
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
