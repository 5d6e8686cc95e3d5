/**
 * Admin sign-in with Sign-In with Ethereum (EIP-4361): a single-use nonce, a message parsed by
 * the `siwe` package's ABNF parser, our own field checks (domain/siwe-rules.ts), the EIP-191
 * signature recovered with ethers, and a random session token of which only the sha256 is stored.
 * The token travels as an httpOnly SameSite=Strict cookie (console) or a Bearer header (CLI).
 */
import { createHash, randomBytes } from 'node:crypto';

import { verifyMessage } from 'ethers';
import { SiweMessage } from 'siwe';

import { CrowdsellError } from '../../extension/protocol/errors.ts';
import { CLOCK_SKEW_SECONDS } from '../../extension/protocol/wire.ts';
import type { Db } from '../db/db.ts';
import { checkSiweFields } from '../domain/siwe-rules.ts';
import { sessionsRepo, type SessionRow } from '../repo/sessions-repo.ts';

const NONCE_TTL_MS = 10 * 60_000;
const MESSAGE_MAX_AGE_MS = 10 * 60_000;

export interface AdminAuthOptions {
  chainId: number;
  admin: string;
  sessionTtlMs: number;
  /** The union's public origin (read lazily: with port 0 it is known only after listening). */
  publicUrl: () => string;
  now: () => number;
}

export interface Session {
  token: string;
  address: string;
  expiresAt: Date;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class AdminAuth {
  constructor(
    private readonly db: Db,
    private readonly options: AdminAuthOptions,
  ) {}

  async createNonce(): Promise<{ nonce: string; expiresAt: Date }> {
    // SIWE nonces are alphanumeric, ≥ 8 characters: 128 random bits in hex.
    const nonce = randomBytes(16).toString('hex');
    const expiresAt = new Date(this.options.now() + NONCE_TTL_MS);
    await sessionsRepo.addNonce(this.db, nonce, expiresAt);
    return { nonce, expiresAt };
  }

  async signIn(message: string, signature: string): Promise<Session> {
    let parsed: SiweMessage;
    try {
      parsed = new SiweMessage(message);
    } catch {
      throw new CrowdsellError(
        'SIWE_INVALID',
        'The sign-in message is not a valid EIP-4361 message.',
      );
    }
    const url = new URL(this.options.publicUrl());
    const nowMs = this.options.now();
    const messageExpiry = checkSiweFields(parsed, {
      domain: url.host,
      origin: url.origin,
      chainId: this.options.chainId,
      admin: this.options.admin,
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
    if (!(await sessionsRepo.consumeNonce(this.db, parsed.nonce, new Date(nowMs)))) {
      throw new CrowdsellError(
        'SIWE_BAD_NONCE',
        'The sign-in nonce is unknown, used or expired; ask for a new one.',
      );
    }
    const token = randomBytes(32).toString('base64url');
    const ttlEnd = nowMs + this.options.sessionTtlMs;
    const expiresAt = new Date(messageExpiry === null ? ttlEnd : Math.min(ttlEnd, messageExpiry));
    const address = parsed.address.toLowerCase();
    await sessionsRepo.create(this.db, hashToken(token), address, expiresAt);
    return { token, address, expiresAt };
  }

  /** The live session for a token, or null. */
  async authenticate(token: string): Promise<SessionRow | null> {
    if (token.length === 0 || token.length > 200) return null;
    const session = await sessionsRepo.find(
      this.db,
      hashToken(token),
      new Date(this.options.now()),
    );
    // A session outlives an admin change only until it expires; refuse it at once instead.
    if (session && session.address !== this.options.admin.toLowerCase()) return null;
    return session;
  }

  async signOut(token: string): Promise<void> {
    await sessionsRepo.remove(this.db, hashToken(token));
  }
}
