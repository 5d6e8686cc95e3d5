/**
 * Admin sign-in with Sign-In with Ethereum (EIP-4361): a single-use nonce, a message parsed by
 * the `siwe` package's ABNF parser, our own field checks (domain/siwe-rules.ts), the EIP-191
 * signature recovered with ethers, and a random session token of which only the sha256 is stored.
 * The token travels as an httpOnly SameSite=Strict cookie (console) or a Bearer header (CLI).
 */
import type { Db } from '../db/db.ts';
import { sessionsRepo, type SessionRow } from '../repo/sessions-repo.ts';
import { hashToken, issueNonce, siweSignIn } from './siwe-sign-in.ts';

const adminSessions = sessionsRepo('admin');

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

export { hashToken };

export class AdminAuth {
  constructor(
    private readonly db: Db,
    private readonly options: AdminAuthOptions,
  ) {}

  createNonce(): Promise<{ nonce: string; expiresAt: Date }> {
    return issueNonce(this.options.now(), (nonce, expiresAt, now) =>
      adminSessions.addNonce(this.db, nonce, expiresAt, now),
    );
  }

  async signIn(message: string, signature: string): Promise<Session> {
    return siweSignIn(message, signature, this.options.admin, this.options, {
      consumeNonce: (nonce, at) => adminSessions.consumeNonce(this.db, nonce, at),
      createSession: (hash, address, expiresAt, at) =>
        adminSessions.createSession(this.db, hash, address, expiresAt, at),
    });
  }

  /** The live session for a token, or null. */
  async authenticate(token: string): Promise<SessionRow | null> {
    if (token.length === 0 || token.length > 200) return null;
    const session = await adminSessions.findSession(
      this.db,
      hashToken(token),
      new Date(this.options.now()),
    );
    // A session outlives an admin change only until it expires; refuse it at once instead.
    if (session && session.address !== this.options.admin.toLowerCase()) return null;
    return session;
  }

  async signOut(token: string): Promise<void> {
    await adminSessions.removeSession(this.db, hashToken(token));
  }
}
