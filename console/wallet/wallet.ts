/**
 * The console's wallet: any EIP-1193 provider in the page (`window.ethereum`, e.g. MetaMask),
 * used through ethers' BrowserProvider. Nothing here knows about tests: Playwright injects a
 * standard EIP-1193 provider, exactly like a browser wallet extension does.
 */
import { BrowserProvider, type Eip1193Provider, type JsonRpcSigner } from 'ethers';

export class WalletError extends Error {
  constructor(
    readonly code: 'NO_WALLET' | 'REJECTED' | 'WRONG_CHAIN' | 'FAILED',
    message: string,
  ) {
    super(message);
  }
}

export interface ConnectedWallet {
  address: string;
  chainId: bigint;
  signer: JsonRpcSigner;
  provider: BrowserProvider;
}

function injectedProvider(): Eip1193Provider | undefined {
  return (globalThis as { ethereum?: Eip1193Provider }).ethereum;
}

export function hasWallet(): boolean {
  return injectedProvider() !== undefined;
}

/** Where a transaction sent through the wallet is: being signed, sent and pending, or mined. */
export type TxStage = 'wallet' | 'pending' | 'mined';

/** EIP-1193 error code 4001 (or ethers' ACTION_REJECTED) means the person said no. */
export function isUserRejection(error: unknown): boolean {
  const e = error as { code?: unknown; info?: { error?: { code?: unknown } } } | undefined;
  return e?.code === 4001 || e?.code === 'ACTION_REJECTED' || e?.info?.error?.code === 4001;
}

/** `action` is a verb phrase that completes "Could not …", e.g. "approve the token spending". */
export function walletErrorFrom(error: unknown, action: string): WalletError {
  if (error instanceof WalletError) return error;
  if (isUserRejection(error))
    return new WalletError('REJECTED', `You declined the request to ${action} in your wallet.`);
  const reason = (error as { shortMessage?: string; message?: string } | undefined)?.shortMessage;
  return new WalletError('FAILED', `Could not ${action}${reason ? `: ${reason}` : ''}.`);
}

export async function connectWallet(expectedChainId?: bigint): Promise<ConnectedWallet> {
  const injected = injectedProvider();
  if (!injected) {
    throw new WalletError(
      'NO_WALLET',
      'No Ethereum wallet was found in this browser. Install one (for example MetaMask) and reload.',
    );
  }
  const provider = new BrowserProvider(injected);
  try {
    await provider.send('eth_requestAccounts', []);
    const signer = await provider.getSigner();
    const { chainId } = await provider.getNetwork();
    if (expectedChainId !== undefined && chainId !== expectedChainId) {
      throw new WalletError(
        'WRONG_CHAIN',
        `Your wallet is on chain ${chainId}; switch it to chain ${expectedChainId} (this union’s chain).`,
      );
    }
    return { address: await signer.getAddress(), chainId, signer, provider };
  } catch (error) {
    throw walletErrorFrom(error, 'connect your wallet');
  }
}
