/**
 * The local chain and ethers wiring: a Hardhat 2 in-process EVM (hardfork cancun, see
 * hardhat.config.cjs), a JSON-RPC server on 127.0.0.1 for `npm start`, and ethers providers and
 * signers for any RPC URL. Hardhat is loaded lazily, so importing this module from code that only
 * needs `connectRpc` costs nothing.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserProvider, HDNodeWallet, JsonRpcProvider, Mnemonic, Wallet } from 'ethers';
import type { Eip1193Provider, Provider } from 'ethers';

/** Hardhat's well-known development mnemonic: public keys, worthless outside a local chain. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
export const DEV_CHAIN_ID = 31337n;
export const DEV_ACCOUNT_COUNT = 20;

const hardhatConfigPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'hardhat.config.cjs');

export interface DevAccount {
  readonly index: number;
  readonly address: string;
  readonly privateKey: string;
}

let devAccountsCache: DevAccount[] | undefined;

/** The 20 funded accounts of the local chain (10,000 ETH each), derived from `DEV_MNEMONIC`. */
export function devAccounts(): readonly DevAccount[] {
  devAccountsCache ??= Array.from({ length: DEV_ACCOUNT_COUNT }, (_, index) => {
    const wallet = HDNodeWallet.fromMnemonic(
      Mnemonic.fromPhrase(DEV_MNEMONIC),
      `m/44'/60'/0'/0/${index}`,
    );
    return { index, address: wallet.address, privateKey: wallet.privateKey };
  });
  return devAccountsCache;
}

/** One dev account; throws for an index outside 0..19. */
export function devAccount(index: number): DevAccount {
  const account = devAccounts()[index];
  if (!account)
    throw new RangeError(`dev account ${index} does not exist (0..${DEV_ACCOUNT_COUNT - 1})`);
  return account;
}

interface HardhatRuntime {
  network: { provider: Eip1193Provider };
  run(task: string, args: Record<string, unknown>): Promise<unknown>;
}

interface JsonRpcServer {
  listen(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}

let runtime: Promise<HardhatRuntime> | undefined;

function hardhatRuntime(): Promise<HardhatRuntime> {
  // Hardhat finds its config through HARDHAT_CONFIG, so this works from any working directory.
  process.env.HARDHAT_CONFIG ??= hardhatConfigPath;
  // hardhat is CommonJS and exports the runtime environment as module.exports.
  runtime ??= import('hardhat').then((module) => module.default as unknown as HardhatRuntime);
  return runtime;
}

/**
 * The in-process EVM as an EIP-1193 provider (one per process; Hardhat is loaded on first use).
 * Supports `evm_snapshot`, `evm_revert`, `evm_increaseTime`, `evm_mine`, `hardhat_setBalance`.
 */
export async function inProcessChain(): Promise<Eip1193Provider> {
  return (await hardhatRuntime()).network.provider;
}

/** An ethers provider over the in-process EVM; `getSigner(i)` signs with dev account `i`. */
export async function inProcessEthers(): Promise<BrowserProvider> {
  return new BrowserProvider(await inProcessChain(), Number(DEV_CHAIN_ID), {
    staticNetwork: true,
    pollingInterval: 50,
    cacheTimeout: -1,
  });
}

export interface ChainServer {
  /** e.g. `http://127.0.0.1:8545` */
  readonly url: string;
  readonly port: number;
  /** The EVM behind the server, for in-process shortcuts (snapshots, time travel). */
  readonly provider: Eip1193Provider;
  close(): Promise<void>;
}

/**
 * Serves the in-process EVM over JSON-RPC (HTTP and WebSocket, CORS `*`) on `hostname:port`.
 * Port 0 picks a free port.
 */
export async function startChainServer(
  options: { port?: number; hostname?: string } = {},
): Promise<ChainServer> {
  const hre = await hardhatRuntime();
  const { TASK_NODE_CREATE_SERVER } = await import('hardhat/builtin-tasks/task-names.js');
  const hostname = options.hostname ?? '127.0.0.1';
  const provider = hre.network.provider;
  const server = (await hre.run(TASK_NODE_CREATE_SERVER, {
    hostname,
    port: options.port ?? 8545,
    provider,
  })) as JsonRpcServer;
  const { port } = await server.listen();
  return { url: `http://${hostname}:${port}`, port, provider, close: () => server.close() };
}

/**
 * An ethers provider for a JSON-RPC URL. `staticNetwork` skips a chain-id request per call,
 * `batchStallTime: 0` sends at once (the default 10 ms stall makes local transactions ~5× slower)
 * and `cacheTimeout: -1` turns off ethers' 250 ms result cache, which otherwise returns a stale
 * block number right after a transaction (a committer would then repeat a block number).
 */
export function connectRpc(url: string): JsonRpcProvider {
  return new JsonRpcProvider(url, undefined, {
    staticNetwork: true,
    batchStallTime: 0,
    cacheTimeout: -1,
  });
}

/** A wallet (local signer) for `privateKey` on `provider`. */
export function signerFor(privateKey: string, provider: Provider): Wallet {
  return new Wallet(privateKey, provider);
}
