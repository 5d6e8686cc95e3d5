/**
 * Admin sign-in with Ethereum (EIP-4361): nonce → message → personal_sign → session cookie.
 * The message names this page's host and origin, which the union checks against its public URL.
 */
import { buildSiweMessage } from '../../extension/protocol/siwe.ts';
import { api, ApiError } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { walletErrorFrom, type ConnectedWallet } from './wallet.ts';

export async function currentSession(): Promise<Session | null> {
  try {
    return await api<Session>('/v1/admin/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/**
 * Asks the union at `noncePath` for a nonce and has the wallet sign a one-hour SIWE message for
 * this page; admin and researcher sign-in differ only in the endpoints and the statement.
 */
export async function signSiweMessage(
  wallet: ConnectedWallet,
  chainId: number,
  noncePath: string,
  statement?: string,
): Promise<{ message: string; signature: string }> {
  const { nonce } = await api<{ nonce: string }>(noncePath);
  const now = new Date();
  const message = buildSiweMessage({
    domain: window.location.host,
    address: wallet.address,
    uri: window.location.origin,
    chainId,
    nonce,
    issuedAt: now,
    expirationTime: new Date(now.getTime() + 60 * 60 * 1000),
    ...(statement === undefined ? {} : { statement }),
  });
  try {
    return { message, signature: await wallet.signer.signMessage(message) };
  } catch (error) {
    throw walletErrorFrom(error, 'sign in');
  }
}

export async function signIn(wallet: ConnectedWallet, chainId: number): Promise<Session> {
  const body = await signSiweMessage(wallet, chainId, '/v1/admin/nonce');
  return api<Session>('/v1/admin/session', { method: 'POST', body });
}

export async function signOut(): Promise<void> {
  await api<undefined>('/v1/admin/session', { method: 'DELETE' });
}
