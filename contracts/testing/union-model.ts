/**
 * Reference model of a DataUnion for the property test: plain bigint bookkeeping of revenue,
 * cumulative earnings, commits (with their freeze and revocation) and payouts. It predicts what
 * the contract must do for each call; the test checks the chain agrees.
 */
import type { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import type { EarningsEntry } from './merkle.ts';

export interface ModelCommit {
  readonly block: bigint;
  readonly totals: readonly bigint[];
  readonly tree: StandardMerkleTree<EarningsEntry>;
  readonly committedAt: bigint;
  revoked: boolean;
}

export type WithdrawOutcome =
  | { readonly kind: 'paid'; readonly amount: bigint }
  | { readonly kind: 'reverted'; readonly error: string };

export class UnionModel {
  revenue = 0n;
  totalWithdrawn = 0n;
  readonly earnings: bigint[];
  readonly withdrawn: bigint[];
  readonly commits: ModelCommit[] = [];

  constructor(
    memberCount: number,
    public now: bigint,
    readonly freezePeriod: bigint,
  ) {
    this.earnings = Array.from({ length: memberCount }, () => 0n);
    this.withdrawn = Array.from({ length: memberCount }, () => 0n);
  }

  get balance(): bigint {
    return this.revenue - this.totalWithdrawn;
  }

  /** Revenue `amount` arrives; the operator credits all of it to `member`. */
  receive(amount: bigint, member: number): void {
    this.revenue += amount;
    this.earnings[member] = (this.earnings[member] ?? 0n) + amount;
  }

  isUsable(commit: ModelCommit, at = this.now): boolean {
    return !commit.revoked && at >= commit.committedAt + this.freezePeriod;
  }

  /** The newest commit a withdrawal at `at` may use. */
  latestUsable(at = this.now): ModelCommit | undefined {
    return this.commits.findLast((c) => this.isUsable(c, at));
  }

  /** The newest commit still in its freeze period (revocable). */
  latestFrozen(at = this.now): ModelCommit | undefined {
    return this.commits.findLast((c) => !c.revoked && at < c.committedAt + this.freezePeriod);
  }

  /**
   * What a withdrawal of `member` against `commit` must do; `minAmount` is a signed request's
   * least acceptable payout (0 for the unsigned paths).
   */
  expectWithdraw(member: number, commit: ModelCommit, at: bigint, minAmount = 0n): WithdrawOutcome {
    if (commit.revoked) return { kind: 'reverted', error: 'RootWasRevoked' };
    if (!this.isUsable(commit, at)) return { kind: 'reverted', error: 'RootFrozen' };
    const total = commit.totals[member] ?? 0n;
    const before = this.withdrawn[member] ?? 0n;
    if (total === before) return { kind: 'reverted', error: 'NothingToWithdraw' };
    if (total < before) return { kind: 'reverted', error: 'EarningsBelowWithdrawn' };
    if (total - before < minAmount) return { kind: 'reverted', error: 'PayoutBelowMinimum' };
    if (total - before > this.balance) return { kind: 'reverted', error: 'InsufficientBalance' };
    return { kind: 'paid', amount: total - before };
  }

  /** Records a successful withdrawal of `member` up to `total`. */
  paid(member: number, total: bigint): void {
    this.totalWithdrawn += total - (this.withdrawn[member] ?? 0n);
    this.withdrawn[member] = total;
  }
}
