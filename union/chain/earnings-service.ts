/**
 * Member earnings, proofs and gasless withdrawals, read from the stored snapshots and the
 * DataUnion contract. Every check of a withdrawal (signature, nonce, deadline, minimum, a
 * dry-run gas estimate) happens before the relay spends gas.
 */
import { randomUUID } from 'node:crypto';
import { verifyTypedData } from 'ethers';

import { asTypes, withdrawAllTypes, type UnionDomain } from '../../extension/protocol/eip712.ts';
import type { SignedWithdrawAll } from '../../extension/protocol/wire.ts';
import type { Db } from '../db/db.ts';
import { apiError } from '../http/api-errors.ts';
import { minimumWithdrawal, type MinimumOptions } from '../domain/withdrawal-minimum.ts';
import { isOpen } from '../domain/withdrawal-reconcile.ts';
import { booksRepo } from '../repo/books-repo.ts';
import { withdrawalsRepo } from '../repo/withdrawals-repo.ts';
import type { WithdrawalReconciler } from '../jobs/withdrawal-reconciler.ts';
import type { ChainClient } from './chain-client.ts';
import { UsableRoots, type RootsNow } from './usable-roots.ts';
import { errorText } from '../jobs/committer.ts';

export interface EarningsOptions {
  /** Sets the smallest payout the relay spends gas on (domain/withdrawal-minimum.ts). */
  minimum: MinimumOptions;
  /** The admin's leaf also carries the admin fee (see treeEntries). */
  admin: string;
  /** The union's clock, ms. */
  now: () => number;
  /** Settles a member's open withdrawal from the chain before it may block a new one. */
  reconciler: WithdrawalReconciler;
}

export class EarningsService {
  private readonly usableRoots: UsableRoots;
  private readonly admin: string;

  constructor(
    private readonly db: Db,
    private readonly chain: ChainClient,
    private readonly domain: UnionDomain,
    private readonly options: EarningsOptions,
  ) {
    this.usableRoots = new UsableRoots(db, chain, options.now);
    this.admin = options.admin;
  }

  /** The newest committed root that is usable now, and when the next frozen one thaws. */
  roots(): Promise<RootsNow> {
    return this.usableRoots.find();
  }

  /**
   * Builds the trees of the usable and the next frozen root before any member asks (D-049: the
   * union's jobs call it after their ticks once the books are large); rejects if a build failed.
   */
  prepareRoots(): Promise<void> {
    return this.usableRoots.prepare();
  }

  /** The member's total in the books now (one member row and the header, not the whole books). */
  private async totalNow(address: string): Promise<bigint> {
    const { total, adminTotal } = await booksRepo.totalOf(this.db, address);
    return total + (address.toLowerCase() === this.admin.toLowerCase() ? adminTotal : 0n);
  }

  async earnings(address: string) {
    const member = address.toLowerCase();
    const [total, withdrawn, { usable, frozenUsableAt }, token] = await Promise.all([
      this.totalNow(member),
      this.chain.dataUnion.withdrawn(member),
      this.roots(),
      this.chain.tokenMeta(),
    ]);
    const inRoot = usable?.tree.totalOf(member) ?? 0n;
    const withdrawable = inRoot > withdrawn ? inRoot - withdrawn : 0n;
    return {
      total: total.toString(),
      withdrawn: withdrawn.toString(),
      withdrawable: withdrawable.toString(),
      pending: (total > inRoot ? total - inRoot : 0n).toString(),
      nextUsableAt: frozenUsableAt === null ? null : new Date(frozenUsableAt * 1000).toISOString(),
      minWithdrawal: minimumWithdrawal(this.options.minimum, token.decimals).toString(),
      token,
    };
  }

  /** The smallest payout the relay pays gas for, token base units. */
  private async minimum(): Promise<bigint> {
    return minimumWithdrawal(this.options.minimum, (await this.chain.tokenMeta()).decimals);
  }

  async proof(address: string) {
    const member = address.toLowerCase();
    const { usable } = await this.roots();
    if (!usable) throw apiError('NO_USABLE_ROOT', 'No committed root is usable yet; try later.');
    const total = usable.tree.totalOf(member);
    if (total === undefined) {
      throw apiError('NOT_IN_ROOT', 'This address has no earnings in the latest usable root.');
    }
    return {
      blockNumber: usable.blockNumber,
      totalEarnings: total.toString(),
      proof: usable.tree.getProof(member),
      minWithdrawal: (await this.minimum()).toString(),
    };
  }

  /**
   * `limit(member)` runs once the signature is verified (so nobody can exhaust another member's
   * allowance with forged requests) and throws to refuse.
   */
  async withdraw(
    body: SignedWithdrawAll,
    limit: (member: string) => void = () => undefined,
  ): Promise<{ id: string; txHash: string; status: string }> {
    const r = body.request;
    const member = r.member.toLowerCase();
    let signer: string | null;
    try {
      signer = verifyTypedData(this.domain, asTypes(withdrawAllTypes), r, body.signature);
    } catch {
      signer = null;
    }
    if (signer?.toLowerCase() !== member) {
      throw apiError(
        'INVALID_SIGNATURE',
        'The withdrawal request is not signed by its member for this union.',
      );
    }
    limit(member);
    const chainNow = await this.chain.timestamp();
    if (BigInt(r.deadline) <= BigInt(chainNow + 15)) {
      throw apiError('WITHDRAWAL_EXPIRED', 'The withdrawal request deadline has passed.');
    }
    const withdrawn = await this.chain.dataUnion.withdrawn(member);
    if (BigInt(r.withdrawnBefore) !== withdrawn) {
      throw apiError(
        'WITHDRAWAL_STALE',
        `withdrawnBefore must equal the amount already withdrawn (${withdrawn}).`,
      );
    }
    // The row is only a hint: settled from the chain first, a dropped or superseded
    // transaction no longer blocks the member.
    const open = await withdrawalsRepo.openOf(this.db, member);
    if (open && isOpen((await this.options.reconciler.settle(open)).status)) {
      throw apiError('WITHDRAWAL_IN_PROGRESS', 'A withdrawal for this member is still pending.');
    }
    const p = await this.proof(member);
    const amount = BigInt(p.totalEarnings) - withdrawn;
    const minimum = BigInt(p.minWithdrawal);
    if (amount <= 0n || amount < minimum) {
      throw apiError(
        'WITHDRAWAL_TOO_SMALL',
        `The withdrawable amount (${amount > 0n ? amount : 0n}) is below the minimum (${minimum}).`,
      );
    }
    // The newest usable root pays the most (cumulative totals only grow): if even it pays less
    // than the member signed for, no root can, and the contract would refuse it.
    if (amount < BigInt(r.minAmount)) {
      throw apiError(
        'WITHDRAWAL_BELOW_SIGNED_MINIMUM',
        `The newest usable root pays ${amount}, less than the ${r.minAmount} this request was signed for; check the withdrawable amount and sign again.`,
      );
    }
    const request = {
      member: r.member,
      recipient: r.recipient,
      withdrawnBefore: BigInt(r.withdrawnBefore),
      minAmount: BigInt(r.minAmount),
      deadline: BigInt(r.deadline),
    };
    let txHash: string;
    try {
      const tx = await this.chain.send('withdrawAllToSigned', [
        p.blockNumber,
        p.totalEarnings,
        p.proof,
        request,
        body.signature,
      ]);
      txHash = tx.hash;
    } catch (error) {
      throw apiError(
        'WITHDRAWAL_REJECTED',
        `The DataUnion would refuse this withdrawal: ${errorText(error)}`,
      );
    }
    const id = randomUUID();
    await withdrawalsRepo.insert(this.db, {
      id,
      member,
      recipient: r.recipient.toLowerCase(),
      amount: amount.toString(),
      blockNumber: p.blockNumber,
      txHash,
      status: 'pending',
      withdrawnBefore: r.withdrawnBefore,
      deadline: r.deadline,
      createdAt: new Date(this.options.now()),
    });
    return { id, txHash, status: 'pending' };
  }

  async withdrawal(id: string) {
    const stored = await withdrawalsRepo.byId(this.db, id);
    if (!stored) throw apiError('WITHDRAWAL_NOT_FOUND', 'There is no withdrawal with this id.');
    const row = await this.options.reconciler.settle(stored);
    return {
      id: row.id,
      member: row.member,
      recipient: row.recipient,
      amount: row.amount,
      blockNumber: row.blockNumber,
      txHash: row.txHash,
      status: row.status,
      // Why a failed withdrawal failed: reverted, superseded, expired or dropped.
      reason: row.status === 'failed' ? row.error : null,
      createdAt: new Date(row.createdAt).toISOString(),
    };
  }
}
