/**
 * `DataUnion.revoke(blockNumber)` from the admin's own wallet (the contract allows only its admin,
 * and only during the freeze period). A one-function human-readable ABI keeps the generated
 * contract artifacts out of the console bundle; the name and argument are those of
 * contracts/generated/data-union.ts.
 */
import { Contract } from 'ethers';

import { walletErrorFrom, type ConnectedWallet, type TxStage } from '../wallet/wallet.ts';

const revokeAbi = ['function revoke(uint256 blockNumber)'] as const;

export interface RevokeProgress {
  stage: TxStage;
  hash?: string;
}

export class RevokeError extends Error {
  constructor(
    readonly code: 'REJECTED' | 'FAILED',
    message: string,
  ) {
    super(message);
  }
}

export async function revokeRoot(
  wallet: ConnectedWallet,
  dataUnion: string,
  blockNumber: number,
  onProgress: (progress: RevokeProgress) => void,
): Promise<string> {
  const contract = new Contract(dataUnion, revokeAbi, wallet.signer);
  onProgress({ stage: 'wallet' });
  let tx: { hash: string; wait: () => Promise<{ status?: number | null } | null> };
  try {
    tx = (await contract.getFunction('revoke')(blockNumber)) as typeof tx;
  } catch (error) {
    const wrapped = walletErrorFrom(error, `revoke the root of block ${blockNumber}`);
    if (wrapped.code === 'REJECTED') {
      throw new RevokeError(
        'REJECTED',
        'You rejected the revoke transaction in your wallet: the root stays frozen and becomes usable when the freeze ends.',
      );
    }
    throw new RevokeError('FAILED', wrapped.message);
  }
  onProgress({ stage: 'pending', hash: tx.hash });
  let receipt: { status?: number | null } | null;
  try {
    receipt = await tx.wait();
  } catch (error) {
    throw new RevokeError('FAILED', walletErrorFrom(error, 'complete the revocation').message);
  }
  if (receipt && receipt.status === 0) {
    throw new RevokeError('FAILED', `The revoke transaction ${tx.hash} reverted.`);
  }
  onProgress({ stage: 'mined', hash: tx.hash });
  return tx.hash;
}
