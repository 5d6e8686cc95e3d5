/**
 * The union's window on the chain: an ethers v6 JSON-RPC provider, the operator wallet (its key
 * comes from options and is never logged), the DataUnion and token contracts, and one way to
 * send a transaction — estimate gas, add a margin, send, one at a time so nonces never collide
 * (the nonce is read from the node's pending count, so it survives restarts).
 */
import { Contract, type ContractTransactionResponse, type JsonRpcProvider, Wallet } from 'ethers';

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
  private sending: Promise<unknown> = Promise.resolve();
  private tokenInfo: Promise<TokenInfo> | undefined;

  constructor(options: ChainClientOptions) {
    this.provider = connectRpc(options.rpcUrl);
    this.operator = new Wallet(options.operatorKey, this.provider);
    this.dataUnion = dataUnionAt(options.dataUnion, this.operator);
    this.token = new Contract(options.tokenAddress, erc20Abi, this.provider);
    this.confirmations = options.confirmations;
    this.margin = BigInt(100 + options.gasMarginPercent);
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
   * throws before anything is sent) plus the margin. Sends are serialised.
   */
  send(
    method: 'commit' | 'withdrawAllToSigned',
    args: unknown[],
  ): Promise<ContractTransactionResponse> {
    const run = async () => {
      const fn = this.dataUnion.getFunction(method);
      const gas = await fn.estimateGas(...args);
      return (await fn(...args, {
        gasLimit: (gas * this.margin) / 100n,
      })) as ContractTransactionResponse;
    };
    const result = this.sending.then(run, run);
    this.sending = result.catch(() => undefined);
    return result;
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
  async confirm(tx: ContractTransactionResponse): Promise<number> {
    const receipt = await tx.wait(this.confirmations);
    if (!receipt || receipt.status !== 1) throw new Error(`Transaction ${tx.hash} failed.`);
    return receipt.blockNumber;
  }

  destroy(): void {
    this.provider.destroy();
  }
}
