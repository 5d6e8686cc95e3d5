/**
 * Withdrawal reconciler (issue 16, item 2): a singleton job that closes every relayed withdrawal
 * the chain has decided, whether or not anyone polls it — mined and confirmed from the receipt,
 * and the ones that can no longer pay (the member's nonce moved on, the deadline passed, or the
 * node dropped the transaction) as `failed`, so a lost transaction never blocks its member.
 * The rules are `reconcileWithdrawal`; this file only gathers the chain's facts and writes.
 *
 * Like the revenue watcher, each tick reads the chain first (outside any transaction: PGlite
 * serialises everything behind one) and then writes under its own advisory lock: an instance
 * that does not get the lock skips the tick. Every write is compare-and-set on an open status,
 * so the request path (`settle` of one row) and the job never write two outcomes.
 */
import type { Db } from '../db/db.ts';
import type { ChainClient } from '../chain/chain-client.ts';
import {
  isOpen,
  reconcileWithdrawal,
  type Reconciled,
  type WithdrawalFacts,
} from '../domain/withdrawal-reconcile.ts';
import { withdrawalsRepo, type WithdrawalRow } from '../repo/withdrawals-repo.ts';
import { SerialTicks } from './serial-ticks.ts';

/** Open rows one tick looks at (oldest first); more wait for the next tick. */
const TICK_ROWS = 200;

export interface ReconcilerOptions {
  /** Tick interval; 0 = no timer (ticks on demand, for tests). */
  intervalMs: number;
  /** How long a transaction the node no longer knows may stay pending. */
  droppedAfterSeconds: number;
  now: () => number;
  log: (message: string, error?: unknown) => void;
}

export interface ReconcileResult {
  /** False when another instance holds the lock. */
  ran: boolean;
  /** Rows whose status changed. */
  changed: number;
}

export class WithdrawalReconciler {
  private readonly ticks: SerialTicks;

  constructor(
    private readonly db: Db,
    private readonly chain: ChainClient,
    private readonly options: ReconcilerOptions,
  ) {
    this.ticks = new SerialTicks(options.log);
  }

  /** Reconciles every open withdrawal (serialised with the previous tick). */
  tick(): Promise<ReconcileResult> {
    return this.ticks.serial(() => this.reconcileOpen());
  }

  /** The row as the chain has it now, written back if it changed (the request path). */
  async settle(row: WithdrawalRow): Promise<WithdrawalRow> {
    const next = await this.decide(row);
    if (next.status === row.status) return row;
    await withdrawalsRepo.settle(this.db, row.id, next.status, next.reason, this.clock());
    return (await withdrawalsRepo.byId(this.db, row.id)) ?? row;
  }

  start(): void {
    if (this.options.intervalMs <= 0) return;
    this.ticks.every(this.options.intervalMs, 'withdrawal reconciler failed', () => this.tick());
  }

  stop(): Promise<void> {
    return this.ticks.stop();
  }

  private async reconcileOpen(): Promise<ReconcileResult> {
    const rows = await withdrawalsRepo.open(this.db, TICK_ROWS);
    const decided: { row: WithdrawalRow; next: Reconciled }[] = [];
    for (const row of rows) {
      const next = await this.decide(row);
      if (next.status !== row.status) decided.push({ row, next });
    }
    return this.db.transaction(async (tx) => {
      if (!(await withdrawalsRepo.tryLock(tx))) return { ran: false, changed: 0 };
      let changed = 0;
      for (const { row, next } of decided) {
        if (await withdrawalsRepo.settle(tx, row.id, next.status, next.reason, this.clock())) {
          changed++;
        }
      }
      return { ran: true, changed };
    });
  }

  private async decide(row: WithdrawalRow): Promise<Reconciled> {
    if (!isOpen(row.status)) return { status: row.status, reason: null };
    return reconcileWithdrawal(
      {
        status: row.status,
        withdrawnBefore: row.withdrawnBefore === null ? null : BigInt(row.withdrawnBefore),
        deadline: row.deadline === null ? null : BigInt(row.deadline),
        sentAtMs: new Date(row.createdAt).getTime(),
      },
      await this.facts(row),
      this.options.now(),
      this.options.droppedAfterSeconds,
    );
  }

  /**
   * Read in this order on purpose: `withdrawn` before the receipt, so a transaction mined in
   * between shows as mined rather than as superseded; the receipt before asking whether the node
   * knows the transaction, so one mined in between shows as known.
   */
  private async facts(row: WithdrawalRow): Promise<WithdrawalFacts> {
    const withdrawn = await this.chain.dataUnion.withdrawn(row.member);
    const receipt = row.txHash ? (await this.chain.txState(row.txHash)).state : 'pending';
    const known =
      receipt !== 'pending' ||
      (row.txHash !== null && (await this.chain.provider.getTransaction(row.txHash)) !== null);
    return { receipt, known, withdrawn, chainTime: await this.chain.timestamp() };
  }

  private clock(): Date {
    return new Date(this.options.now());
  }
}
