/**
 * Sending the factory transaction from the console's wallet (contracts/factory.ts does the
 * encoding and reads the `UnionCreated` event back), with the stages the page shows and errors as
 * sentences: a refused signature, a revert decoded from the contracts' custom errors.
 */
import { Interface, type ErrorDescription } from 'ethers';

import {
  createUnionErrorsAbi,
  sendCreateUnion,
  unionCreatedIn,
  type CreatedUnion,
} from '../../contracts/factory.ts';
import { dataUnionFactoryAt } from '../../contracts/generated/data-union-factory.ts';
import type { TxStage } from '../wallet/wallet.ts';
import { isUserRejection, type ConnectedWallet } from '../wallet/wallet.ts';
import type { ValidUnionForm } from './union-form.ts';

export class CreateUnionError extends Error {
  constructor(
    readonly code: 'REJECTED' | 'REVERTED' | 'WRONG_CHAIN' | 'FAILED',
    message: string,
  ) {
    super(message);
  }
}

const errors = new Interface(createUnionErrorsAbi);

/** Sentences for the reverts a valid form can still meet (the chain knows more than the form). */
const explained: Record<string, (e: ErrorDescription) => string> = {
  NotLister: () =>
    'This factory may not list products on its Marketplace: the Marketplace’s owner must make it a lister (setLister).',
  ProductExists: () => 'A product with this union’s id already exists on the Marketplace.',
  AdminFeeTooHigh: (e) =>
    `The admin fee is above the contract’s maximum (${String(e.args[1] ?? '50 %')} in 1e18 units).`,
  FreezePeriodTooShort: (e) =>
    `The freeze period is shorter than the contract allows (${String(e.args[1] ?? 60)} s).`,
  FreezePeriodTooLong: (e) =>
    `The freeze period is longer than the contract allows (${String(e.args[1] ?? '30 days')} s).`,
  ZeroAddress: () => 'An address (token or operator) is the zero address.',
  SafeCastOverflowedUintDowncast: () =>
    'The price per second is larger than the Marketplace can store.',
};

/** Revert data wherever ethers or the wallet put it. */
function revertData(error: unknown): string | undefined {
  const e = error as {
    data?: unknown;
    info?: { error?: { data?: unknown } };
    error?: { data?: unknown };
  };
  for (const candidate of [e?.data, e?.info?.error?.data, e?.error?.data]) {
    if (typeof candidate === 'string' && /^0x[0-9a-fA-F]{8}/.test(candidate)) return candidate;
    const nested = (candidate as { data?: unknown } | undefined)?.data;
    if (typeof nested === 'string' && /^0x[0-9a-fA-F]{8}/.test(nested)) return nested;
  }
  return undefined;
}

/** The error as a sentence for the page. */
export function createUnionErrorFrom(error: unknown): CreateUnionError {
  if (error instanceof CreateUnionError) return error;
  if (isUserRejection(error))
    return new CreateUnionError(
      'REJECTED',
      'You declined the transaction in your wallet; nothing was created.',
    );
  const data = revertData(error);
  if (data) {
    let decoded: ErrorDescription | null;
    try {
      decoded = errors.parseError(data);
    } catch {
      decoded = null;
    }
    if (decoded) {
      const sentence = explained[decoded.name];
      return new CreateUnionError(
        'REVERTED',
        `The factory refused the union (${decoded.name}): ${sentence ? sentence(decoded) : 'see the contract’s documentation.'}`,
      );
    }
    return new CreateUnionError(
      'REVERTED',
      `The factory refused the union (revert data ${data.slice(0, 10)}).`,
    );
  }
  const reason = (error as { shortMessage?: string; message?: string } | undefined)?.shortMessage;
  return new CreateUnionError(
    'FAILED',
    `Could not create the union${reason ? `: ${reason}` : ''}.`,
  );
}

export interface CreateProgress {
  stage: TxStage;
  hash?: string;
}

/**
 * One factory transaction on `chainId` (the wallet may have been switched since it connected);
 * resolves to the new union and the Marketplace it is listed on.
 */
export async function createUnionWithWallet(
  wallet: ConnectedWallet,
  chainId: bigint,
  form: ValidUnionForm,
  onProgress: (progress: CreateProgress) => void,
): Promise<CreatedUnion & { marketplace: string }> {
  const network = await wallet.provider.getNetwork();
  if (network.chainId !== chainId) {
    throw new CreateUnionError(
      'WRONG_CHAIN',
      `Your wallet is on chain ${network.chainId}; switch it to chain ${chainId} (this union’s chain) and try again.`,
    );
  }
  onProgress({ stage: 'wallet' });
  try {
    const tx = await sendCreateUnion(wallet.signer, form.factory, {
      token: form.token,
      operator: form.operator,
      freezePeriodSeconds: form.freezePeriodSeconds,
      adminFeeFraction: form.adminFeeFraction,
      pricePerSecond: form.pricePerSecond,
      name: form.name,
      metadataUrl: form.unionUrl,
    });
    onProgress({ stage: 'pending', hash: tx.hash });
    const created = unionCreatedIn(await tx.wait(), form.factory);
    onProgress({ stage: 'mined', hash: tx.hash });
    const marketplace = await dataUnionFactoryAt(form.factory, wallet.provider).marketplace();
    return { ...created, marketplace: marketplace.toLowerCase() };
  } catch (error) {
    throw createUnionErrorFrom(error);
  }
}
