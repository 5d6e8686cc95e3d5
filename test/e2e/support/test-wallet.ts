/**
 * A small EIP-1193 wallet for Playwright tests of the console — the standard way dapps are tested:
 * an init script defines `window.ethereum`, and every request is bridged (page.exposeFunction) to
 * Node, where an ethers Wallet signs and a JSON-RPC provider on 127.0.0.1 answers the rest.
 * Production code never sees anything but a normal EIP-1193 provider.
 */
import type { Page } from '@playwright/test';
import { getAddress, type JsonRpcProvider, type TransactionRequest, type Wallet } from 'ethers';

interface RpcRequest {
  method: string;
  params?: unknown[];
}

/** Thrown errors carry EIP-1193 codes (4001 = user rejected) through to the page. */
export class ProviderRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface TestWalletOptions {
  wallet: Wallet;
  provider: JsonRpcProvider;
  chainId: bigint;
  /** When set, signing and transaction requests are refused as if the user clicked "Reject". */
  reject?: () => boolean;
}

function stripDomainType(types: Record<string, unknown>) {
  const { EIP712Domain: _ignored, ...rest } = types;
  return rest as Record<string, { name: string; type: string }[]>;
}

export async function handleRequest(options: TestWalletOptions, request: RpcRequest) {
  const { wallet, provider } = options;
  const params = request.params ?? [];
  const refuse = () => {
    if (options.reject?.()) throw new ProviderRpcError(4001, 'User rejected the request.');
  };
  switch (request.method) {
    case 'eth_requestAccounts':
    case 'eth_accounts':
      return [wallet.address];
    case 'eth_chainId':
      return `0x${options.chainId.toString(16)}`;
    case 'net_version':
      return options.chainId.toString();
    case 'personal_sign': {
      refuse();
      const [message] = params as [string, string];
      const bytes = message.startsWith('0x') ? Buffer.from(message.slice(2), 'hex') : message;
      return wallet.signMessage(bytes);
    }
    case 'eth_signTypedData_v4': {
      refuse();
      const [, json] = params as [string, string];
      const data = JSON.parse(json) as {
        domain: Record<string, unknown>;
        types: Record<string, unknown>;
        message: Record<string, unknown>;
      };
      return wallet.signTypedData(data.domain, stripDomainType(data.types), data.message);
    }
    case 'eth_sendTransaction': {
      refuse();
      const [tx] = params as [Record<string, string>];
      const request: TransactionRequest = { to: tx.to ?? null };
      if (tx.data) request.data = tx.data;
      if (tx.value) request.value = BigInt(tx.value);
      if (tx.gas) request.gasLimit = BigInt(tx.gas);
      if (tx.from && getAddress(tx.from) !== wallet.address) {
        throw new ProviderRpcError(4100, 'The requested account is not authorised.');
      }
      const sent = await wallet.connect(provider).sendTransaction(request);
      return sent.hash;
    }
    case 'wallet_switchEthereumChain':
    case 'wallet_addEthereumChain':
      return null;
    default:
      return (await provider.send(request.method, params)) as unknown;
  }
}

/** Installs `window.ethereum` in the page (before any page script runs). */
export async function installTestWallet(page: Page, options: TestWalletOptions): Promise<void> {
  await page.exposeFunction('__testWalletRequest', async (request: RpcRequest) => {
    try {
      return { result: await handleRequest(options, request) };
    } catch (error) {
      const code = error instanceof ProviderRpcError ? error.code : -32603;
      return { error: { code, message: error instanceof Error ? error.message : String(error) } };
    }
  });
  await page.addInitScript(() => {
    type Answer = { result?: unknown; error?: { code: number; message: string } };
    const bridge = (globalThis as unknown as Record<string, (r: unknown) => Promise<Answer>>)
      .__testWalletRequest!;
    const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
    const ethereum = {
      isTestWallet: true,
      async request(request: { method: string; params?: unknown[] }) {
        const answer = await bridge(request);
        if (answer.error) {
          throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
        }
        return answer.result;
      },
      on(event: string, listener: (...args: unknown[]) => void) {
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(listener);
      },
      removeListener(event: string, listener: (...args: unknown[]) => void) {
        listeners.get(event)?.delete(listener);
      },
    };
    Object.defineProperty(globalThis, 'ethereum', { value: ethereum, configurable: true });
  });
}
