/**
 * The union's window on the chain: an ethers v6 JSON-RPC provider, the operator wallet (its key
 * comes from options and is never logged), the DataUnion and token contracts, and one way to
 * send a transaction: estimate gas, add a margin, read the nonce from the node's pending count (so
 * it survives restarts), send. Sends never overlap, so two never pick the same nonce: within this
 * process they queue on a promise chain, and across processes sharing the operator key each send
 * runs inside `exclusive` (app.ts passes a PostgreSQL advisory lock). The lock is released once the
 * node has accepted the transaction into its pending pool, not when it is mined. A send the node
 * still refuses for its nonce (something else used the key) is retried once with a fresh nonce.
 */
import {
  Contract,
  type ContractTransactionResponse,
  isError,
  type JsonRpcProvider,
  type TransactionResponse,
  Wallet,
} from 'ethers';

import { connectRpc } from '../../contracts/chain.ts';
import { dataUnionAt, type DataUnionContract } from '../../contracts/generated/data-union.ts';

export const erc20Abi = [
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
  'function balanceOf(address) view returns (uint256)',
] as const;

export interface ChainClientOptions {
  rpcUrl: string;
  operatorKey: string;
  dataUnion: string;
  tokenAddress: string;
  confirmations: number;
  gasMarginPercent: number;
}

/** Runs `fn` while holding a lock shared by every process that sends with the operator key. */
export type Exclusive = <T>(fn: () => Promise<T>) => Promise<T>;

/** What an operator send needs from its caller: the gas estimate and the send itself. */
export interface OperatorCall<T extends TransactionResponse> {
  /** Throws (before anything is sent) if the call would revert. */
  estimateGas(): Promise<bigint>;
  send(overrides: { gasLimit: bigint; nonce: number }): Promise<T>;
}

const alone: Exclusive = (fn) => fn();

export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

export type TxState = 'pending' | 'mined' | 'confirmed' | 'failed';

export class ChainClient {
  readonly provider: JsonRpcProvider;
  readonly operator: Wallet;
  readonly dataUnion: DataUnionContract;
  readonly token: Contract;
  readonly confirmations: number;
  private readonly margin: bigint;
  private readonly exclusive: Exclusive;
  private sending: Promise<unknown> = Promise.resolve();
  private tokenInfo: Promise<TokenInfo> | undefined;

  /** `exclusive`: the cross-process lock around each send (default: none, one process only). */
  constructor(options: ChainClientOptions, exclusive: Exclusive = alone) {
    this.provider = connectRpc(options.rpcUrl);
    this.operator = new Wallet(options.operatorKey, this.provider);
    this.dataUnion = dataUnionAt(options.dataUnion, this.operator);
    this.token = new Contract(options.tokenAddress, erc20Abi, this.provider);
    this.confirmations = options.confirmations;
    this.margin = BigInt(100 + options.gasMarginPercent);
    this.exclusive = exclusive;
  }

  /** Head block number. */
  head(): Promise<number> {
    return this.provider.getBlockNumber();
  }

  /** Timestamp (unix seconds) of `block`, or of the head block. */
  async timestamp(block: number | 'latest' = 'latest'): Promise<number> {
    const b = await this.provider.getBlock(block);
    if (!b) throw new Error(`Block ${String(block)} is not available from the RPC node.`);
    return b.timestamp;
  }

  tokenMeta(): Promise<TokenInfo> {
    this.tokenInfo ??= (async () => {
      const address = await this.token.getAddress();
      const [symbol, decimals] = await Promise.all([
        this.token.getFunction('symbol')() as Promise<string>,
        this.token.getFunction('decimals')() as Promise<bigint>,
      ]);
      return { address: address.toLowerCase(), symbol, decimals: Number(decimals) };
    })();
    this.tokenInfo.catch(() => (this.tokenInfo = undefined));
    return this.tokenInfo;
  }

  /**
   * Sends `method(...args)` on the DataUnion as the operator: gas estimated (a revert here
   * throws before anything is sent) plus the margin.
   */
  send(
    method: 'commit' | 'withdrawAllToSigned',
    args: unknown[],
  ): Promise<ContractTransactionResponse> {
    const fn = this.dataUnion.getFunction(method);
    return this.sendAsOperator({
      estimateGas: () => fn.estimateGas(...args),
      send: (overrides) => fn(...args, overrides) as Promise<ContractTransactionResponse>,
    });
  }

  /**
   * Every operator transaction goes through here: queued behind this process's earlier sends,
   * then estimated and sent inside `exclusive` with the nonce read under it. Resolves once the
   * node has accepted the transaction (it may still be pending).
   */
  sendAsOperator<T extends TransactionResponse>(call: OperatorCall<T>): Promise<T> {
    const run = () =>
      this.exclusive(async () => {
        const gas = await call.estimateGas();
        const gasLimit = (gas * this.margin) / 100n;
        try {
          return await call.send({ gasLimit, nonce: await this.pendingNonce() });
        } catch (error) {
          if (!isNonceError(error)) throw error;
          return call.send({ gasLimit, nonce: await this.pendingNonce() });
        }
      });
    const result = this.sending.then(run, run);
    this.sending = result.catch(() => undefined);
    return result;
  }

  private pendingNonce(): Promise<number> {
    return this.provider.getTransactionCount(this.operator.address, 'pending');
  }

  /** pending (not mined), mined (fewer than N confirmations), confirmed, or failed (reverted). */
  async txState(hash: string): Promise<{ state: TxState; blockNumber: number | null }> {
    const receipt = await this.provider.getTransactionReceipt(hash);
    if (!receipt) return { state: 'pending', blockNumber: null };
    if (receipt.status !== 1) return { state: 'failed', blockNumber: receipt.blockNumber };
    const confirmations = (await this.head()) - receipt.blockNumber + 1;
    return {
      state: confirmations >= this.confirmations ? 'confirmed' : 'mined',
      blockNumber: receipt.blockNumber,
    };
  }

  /** Waits until `hash` has N confirmations; throws if it reverted. */
  async confirm(tx: TransactionResponse): Promise<number> {
    const receipt = await tx.wait(this.confirmations);
    if (!receipt || receipt.status !== 1) throw new Error(`Transaction ${tx.hash} failed.`);
    return receipt.blockNumber;
  }

  destroy(): void {
    this.provider.destroy();
  }
}

/** The node refused a send because its nonce is taken ("nonce too low", "replacement underpriced"). */
function isNonceError(error: unknown): boolean {
  return isError(error, 'NONCE_EXPIRED') || isError(error, 'REPLACEMENT_UNDERPRICED');
}
