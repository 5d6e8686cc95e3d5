/**
 * The one Sign-In with Ethereum (EIP-4361) flow, shared by admin and researcher sign-in: parse the
 * message with the `siwe` package's ABNF parser, check its fields (domain/siwe-rules.ts), recover
 * the EIP-191 signer with ethers, consume the single-use nonce, and mint a random session token of
 * which only the sha256 is stored. Who may sign in, and where nonces and sessions live, is the
 * caller's.
 */
import { createHash, randomBytes } from 'node:crypto';

import { verifyMessage } from 'ethers';
import { SiweMessage } from 'siwe';

import { CrowdsellError } from '../../extension/protocol/errors.ts';
import { CLOCK_SKEW_SECONDS } from '../../extension/protocol/wire.ts';
import { checkSiweFields } from '../domain/siwe-rules.ts';

const MESSAGE_MAX_AGE_MS = 10 * 60_000;
const NONCE_TTL_MS = 10 * 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface SiweSignInOptions {
  chainId: number;
  sessionTtlMs: number;
  /** The union's public origin (read lazily: with port 0 it is known only after listening). */
  publicUrl: () => string;
  now: () => number;
}

export interface SiweSessionStore {
  consumeNonce(nonce: string, at: Date): Promise<boolean>;
  /** `at` is the union's clock: sessions expired by then may be dropped. */
  createSession(tokenHash: string, address: string, expiresAt: Date, at: Date): Promise<unknown>;
}

/**
 * A new single-use nonce, good for ten minutes, handed to `store` with the union's clock (nonces
 * expired by then may be dropped). SIWE nonces are alphanumeric, ≥ 8 characters: 128 random bits
 * in hex.
 */
export async function issueNonce(
  nowMs: number,
  store: (nonce: string, expiresAt: Date, now: Date) => Promise<void>,
): Promise<{ nonce: string; expiresAt: Date }> {
  const nonce = randomBytes(16).toString('hex');
  const expiresAt = new Date(nowMs + NONCE_TTL_MS);
  await store(nonce, expiresAt, new Date(nowMs));
  return { nonce, expiresAt };
}

export interface SignedIn {
  token: string;
  address: string;
  expiresAt: Date;
}

/**
 * Verifies a signed SIWE message and opens a session. `expectedAddress` limits who may sign in
 * (the admin); `undefined` lets any address in (researchers: their subscription decides).
 */
export async function siweSignIn(
  message: string,
  signature: string,
  expectedAddress: string | undefined,
  options: SiweSignInOptions,
  store: SiweSessionStore,
): Promise<SignedIn> {
  let parsed: SiweMessage;
  try {
    parsed = new SiweMessage(message);
  } catch {
    throw new CrowdsellError(
      'SIWE_INVALID',
      'The sign-in message is not a valid EIP-4361 message.',
    );
  }
  const url = new URL(options.publicUrl());
  const nowMs = options.now();
  const messageExpiry = checkSiweFields(parsed, {
    domain: url.host,
    origin: url.origin,
    chainId: options.chainId,
    admin: expectedAddress ?? parsed.address,
    nowMs,
    maxAgeMs: MESSAGE_MAX_AGE_MS,
    skewMs: CLOCK_SKEW_SECONDS * 1000,
  });
  let signer: string;
  try {
    signer = verifyMessage(message, signature);
  } catch {
    throw new CrowdsellError('SIWE_BAD_SIGNATURE', 'The sign-in signature is invalid.');
  }
  if (signer.toLowerCase() !== parsed.address.toLowerCase()) {
    throw new CrowdsellError(
      'SIWE_BAD_SIGNATURE',
      'The sign-in message was not signed by its address.',
    );
  }
  if (!(await store.consumeNonce(parsed.nonce, new Date(nowMs)))) {
    throw new CrowdsellError(
      'SIWE_BAD_NONCE',
      'The sign-in nonce is unknown, used or expired; ask for a new one.',
    );
  }
  const token = randomBytes(32).toString('base64url');
  const ttlEnd = nowMs + options.sessionTtlMs;
  const expiresAt = new Date(messageExpiry === null ? ttlEnd : Math.min(ttlEnd, messageExpiry));
  const address = parsed.address.toLowerCase();
  await store.createSession(hashToken(token), address, expiresAt, new Date(nowMs));
  return { token, address, expiresAt };
}
