/**
 * Union options whose chain node and marketplace cannot be reached: a JSON-RPC URL on a free
 * local port where nothing listens, and addresses that were never deployed. For the answers a
 * union gives while its chain is down.
 */
import { randomWallet } from './fixtures.ts';
import { freePort } from './free-port.ts';
import type { TestUnionOptions } from './test-union.ts';

export async function unreachableChain(): Promise<Pick<TestUnionOptions, 'product' | 'chain'>> {
  const deadRpc = `http://127.0.0.1:${await freePort()}`;
  return {
    product: {
      rpcUrl: deadRpc,
      marketplace: `0x${'44'.repeat(20)}`,
      productId: `0x${'55'.repeat(32)}`,
    },
    chain: {
      rpcUrl: deadRpc,
      operatorKey: randomWallet().privateKey,
      tokenAddress: `0x${'66'.repeat(20)}`,
      startBlock: 0,
      pollIntervalMs: 0,
    },
  };
}
