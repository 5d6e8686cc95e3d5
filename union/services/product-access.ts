/**
 * Researcher access to the product: Sign-In with Ethereum (EIP-4361) for any address — the same
 * parser, field checks and signature recovery as the admin sign-in, but its own nonces and
 * sessions (product_sessions), so a researcher session never opens an admin route — and the
 * on-chain check `Marketplace.subscriptionEnd(productId, address)`. A live subscription is cached
 * for `cacheSeconds` (never past its end); a missing or expired one is not cached, so a purchase
 * unlocks access at once.
 */
import { marketplaceAt } from '../../contracts/generated/marketplace.ts';
import { connectRpc } from '../../contracts/chain.ts';
import { CrowdsellError } from '../../extension/protocol/errors.ts';
import type { Db } from '../db/db.ts';
import { sessionsRepo } from '../repo/sessions-repo.ts';
import { hashToken, issueNonce, siweSignIn } from './siwe-sign-in.ts';

const researcherSessions = sessionsRepo('product');

export interface ProductChain {
  rpcUrl: string;
  marketplace: string;
  productId: string;
  cacheSeconds: number;
}

export interface ProductAccessOptions {
  chainId: number;
  sessionTtlMs: number;
  publicUrl: () => string;
  now: () => number;
  chain?: ProductChain | undefined;
}

export class ProductAccess {
  private readonly cache = new Map<string, { end: number; until: number }>();
  private readonly market;

  constructor(
    private readonly db: Db,
    private readonly options: ProductAccessOptions,
  ) {
    const chain = options.chain;
    this.market = chain ? marketplaceAt(chain.marketplace, connectRpc(chain.rpcUrl)) : null;
  }

  createNonce(): Promise<{ nonce: string; expiresAt: Date }> {
    return issueNonce(this.options.now(), (nonce, expiresAt, now) =>
      researcherSessions.addNonce(this.db, nonce, expiresAt, now),
    );
  }

  async signIn(
    message: string,
    signature: string,
  ): Promise<{ token: string; address: string; expiresAt: Date }> {
    // Any address may sign in as a researcher: the subscription decides what it may read.
    return siweSignIn(message, signature, undefined, this.options, {
      consumeNonce: (nonce, at) => researcherSessions.consumeNonce(this.db, nonce, at),
      createSession: (hash, address, expiresAt, at) =>
        researcherSessions.createSession(this.db, hash, address, expiresAt, at),
    });
  }

  /** The researcher behind a bearer token, or null. */
  async authenticate(token: string): Promise<{ address: string; expiresAt: Date } | null> {
    if (token.length === 0 || token.length > 200) return null;
    return researcherSessions.findSession(this.db, hashToken(token), new Date(this.options.now()));
  }

  /** Unix seconds when `address`'s subscription ends (0: never bought). */
  async subscriptionEnd(address: string): Promise<number> {
    const chain = this.options.chain;
    if (!chain || !this.market) {
      throw new CrowdsellError(
        'PRODUCT_NOT_CONFIGURED',
        'This union has no marketplace configured, so subscriptions cannot be checked.',
      );
    }
    const key = address.toLowerCase();
    const nowMs = this.options.now();
    const cached = this.cache.get(key);
    if (cached && cached.until > nowMs) return cached.end;
    const end = Number(await this.market.subscriptionEnd(chain.productId, address));
    if (end * 1000 > nowMs) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, { end, until: Math.min(nowMs + chain.cacheSeconds * 1000, end * 1000) });
    } else {
      this.cache.delete(key);
    }
    return end;
  }

  /** Throws SUBSCRIPTION_EXPIRED unless `address` holds a live subscription. */
  async requireSubscription(address: string): Promise<{ end: number }> {
    const end = await this.subscriptionEnd(address);
    if (end * 1000 <= this.options.now()) {
      throw new CrowdsellError(
        'SUBSCRIPTION_EXPIRED',
        end === 0
          ? `The address ${address} has no subscription to this product; buy one on the Marketplace.`
          : `The subscription of ${address} ended on ${new Date(end * 1000).toISOString()}; renew it on the Marketplace.`,
      );
    }
    return { end };
  }

  /** Price per second in token base units, and the token (null without a marketplace). */
  async price(): Promise<{ pricePerSecond: string; token: string; active: boolean } | null> {
    const chain = this.options.chain;
    if (!chain || !this.market) return null;
    const product = await this.market.getProduct(chain.productId);
    return {
      pricePerSecond: product.pricePerSecond.toString(),
      token: product.token.toLowerCase(),
      active: product.active,
    };
  }
}
