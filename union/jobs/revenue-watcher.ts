/**
 * Revenue watcher (DESIGN §5): each tick, under the singleton advisory lock and in ONE
 * transaction, it
 *  1. reads, from the cursor up to the newest confirmed block (head − (confirmations − 1)), the
 *     token `Transfer` logs into the DataUnion (each `(txHash, logIndex)` recorded once in
 *     revenue_transfers) and the DataUnion's `AdminFeeChanged` logs, with their blocks' times;
 *  2. takes the membership changes up to that block's timestamp (the horizon): the membership
 *     log after the books' position, and activity from each member's latest report (only the
 *     members whose row can change the books are read: accountingInputsRepo.changedMemberFacts);
 *  3. applies all of them in chain order (accounting/chain-order.ts): each revenue is shared
 *     with the fee and the member set that held at its block;
 *  4. saves the events, the books' header, the members the step touched (none for revenue), the
 *     cursor and the log position together (migration 0010: the books are rows, written
 *     incrementally; between ticks they stay in memory, books-cache.ts).
 * A crash anywhere leaves the previous state and cursor: the next tick redoes the work. An RPC
 * outage only delays the tick; what happened meanwhile is applied in order when it returns.
 */
import { Interface, type Log } from 'ethers';

import { dataUnionAbi } from '../../contracts/generated/data-union.ts';
import type { Db, Queryable } from '../db/db.ts';
import {
  eventToJson,
  savedStateIsEmpty,
  type MonoplasmaAccounting,
} from '../monoplasma/accounting.ts';
import { stepBooks } from '../monoplasma/accounting/books-step.ts';
import type { ChainEntry } from '../monoplasma/accounting/chain-order.ts';
import { accountingInputsRepo } from '../repo/accounting-inputs-repo.ts';
import { booksRepo } from '../repo/books-repo.ts';
import { monoplasmaRepo } from '../repo/monoplasma-repo.ts';
import { erc20Abi, type ChainClient } from '../chain/chain-client.ts';
import { BooksCache } from './books-cache.ts';

const erc20 = new Interface(erc20Abi);
const dataUnionEvents = new Interface(dataUnionAbi);
const TRANSFER_TOPIC = erc20.getEvent('Transfer')!.topicHash;
const FEE_TOPIC = dataUnionEvents.getEvent('AdminFeeChanged')!.topicHash;

export interface WatcherOptions {
  dataUnion: string;
  startBlock: number;
  activityWindowSeconds: number;
  /** Used when the books start (empty state). */
  minMembershipAgeSeconds?: number;
  /** Largest block range per eth_getLogs call. */
  maxBlockRange?: number;
}

export interface WatchResult {
  /** False when another instance holds the lock. */
  ran: boolean;
  cursorBlock: number;
  events: number;
  revenue: bigint;
}

/** A tick's transaction: its result, and the books it stored (kept for the next tick). */
interface StepOutcome {
  result: WatchResult;
  stored?: { version: number; books: MonoplasmaAccounting };
}

/** What the tick read from the chain before taking the lock. */
interface ChainBatch {
  transfers: Log[];
  feeChanges: Log[];
  /** Block number → timestamp (unix s) for every block with a log, and the start block. */
  times: Map<number, number>;
  /** Timestamp of the newest confirmed block; -Infinity before the start block is confirmed. */
  horizon: number;
  /** The fee before the start block, when this batch opens the books. */
  openingFee: bigint | null;
}

export class RevenueWatcher {
  private readonly dataUnion: string;

  constructor(
    private readonly db: Db,
    private readonly chain: ChainClient,
    private readonly options: WatcherOptions,
    /** Shared with the committer of the same process (MonoplasmaJobs). */
    private readonly books = new BooksCache(),
  ) {
    this.dataUnion = options.dataUnion.toLowerCase();
  }

  async tick(): Promise<WatchResult> {
    // Chain reads first (outside the transaction: PGlite serialises everything behind it).
    const start = this.options.startBlock;
    const head = await this.chain.head();
    const target = head - (this.chain.confirmations - 1);
    const prior = await monoplasmaRepo.state(this.db);
    const from = Math.max(prior?.cursorBlock ?? start - 1, start - 1) + 1;
    const batch = await this.readChain(from, target, savedStateIsEmpty(prior?.accounting));
    const locked = { ran: false, cursorBlock: prior?.cursorBlock ?? -1, events: 0, revenue: 0n };

    const { result, stored } = await this.books.run(() =>
      this.db.transaction(async (tx): Promise<StepOutcome> =>
        (await monoplasmaRepo.tryLock(tx)) ? this.step(tx, batch, target) : { result: locked },
      ),
    );
    if (stored) this.books.keep(stored.version, stored.books);
    return result;
  }

  /** The tick's work under the lock, from reading the books to saving them. */
  private async step(tx: Queryable, batch: ChainBatch, target: number): Promise<StepOutcome> {
    const start = this.options.startBlock;
    const state = await monoplasmaRepo.state(tx, true);
    const cursor = state?.cursorBlock ?? start - 1;
    const accounting = await this.books.at(tx, state, this.options.minMembershipAgeSeconds);
    // The books open with the start block, once: a cursor set back later re-reads blocks (every
    // id counts once) but never reopens books that already hold events.
    const opening = cursor < start && target >= start && accounting.clock === 0;
    const { entries, revenue } = await this.chainEntries(tx, batch, cursor, {
      opening,
      fee: accounting.adminFeeFraction,
    });

    // Fresh books read the whole membership log; books from before migration 0006 start at
    // its head, and the members table brings them in line (membership-changes.ts).
    const storedSeq = state === null ? 0 : await accountingInputsRepo.membershipSeq(tx);
    const seq = storedSeq ?? (await accountingInputsRepo.logHead(tx));
    const log = await accountingInputsRepo.logAfter(tx, seq);
    const { activityWindowSeconds } = this.options;
    const step = stepBooks(accounting, {
      chain: entries,
      horizon: batch.horizon,
      cursorBlock: cursor,
      ...(opening ? { openingBlock: start } : {}),
      log,
      // Only the rows that can change the books (the stored books are the ones in memory).
      members: await accountingInputsRepo.changedMemberFacts(tx, {
        logged: [...new Set(log.map((entry) => entry.member))],
        activityWindowSeconds,
        clock: accounting.clock,
        horizon: batch.horizon,
      }),
      activityWindowSeconds,
    });
    const events = step.applied;

    const newCursor = Math.max(cursor, target);
    const newSeq = step.consumedThroughSeq ?? seq;
    const result = { ran: true, cursorBlock: newCursor, events: events.length, revenue };
    if (events.length === 0 && newCursor === cursor && state !== null && newSeq === storedSeq) {
      return { result };
    }
    await monoplasmaRepo.appendEvents(
      tx,
      events.map((e) => ({ event: eventToJson(e.event), blockNumber: e.blockNumber })),
    );
    const version = await monoplasmaRepo.saveState(
      tx,
      newCursor,
      accounting.header(),
      events.length > 0,
    );
    await booksRepo.saveMembers(tx, accounting.takeChangedMembers(), version);
    await accountingInputsRepo.setMembershipSeq(tx, newSeq);
    return { result, stored: { version, books: accounting } };
  }

  /** The batch's fee changes and new revenue (each transfer recorded once) after `cursor`. */
  private async chainEntries(
    tx: Queryable,
    batch: ChainBatch,
    cursor: number,
    books: { opening: boolean; fee: bigint },
  ): Promise<{ entries: ChainEntry[]; revenue: bigint }> {
    const start = this.options.startBlock;
    const entries: ChainEntry[] = [];
    let revenue = 0n;
    if (books.opening && batch.openingFee !== null && batch.openingFee !== books.fee) {
      const blockTime = batch.times.get(start) ?? 0;
      const event = { type: 'admin-fee-set', fraction: batch.openingFee } as const;
      entries.push({ blockNumber: start - 1, logIndex: 0, blockTime, event });
    }
    for (const log of batch.feeChanges) {
      if (log.blockNumber <= cursor) continue; // another instance got there first
      const parsed = dataUnionEvents.parseLog(log);
      if (!parsed) continue;
      entries.push({
        ...position(log, batch.times),
        event: { type: 'admin-fee-set', fraction: parsed.args[1] as bigint, id: logId(log) },
      });
    }
    for (const log of batch.transfers) {
      if (log.blockNumber <= cursor) continue;
      const parsed = erc20.parseLog(log);
      if (!parsed) continue;
      const amount = parsed.args[2] as bigint;
      const inserted = await monoplasmaRepo.insertTransfer(tx, {
        txHash: log.transactionHash.toLowerCase(),
        logIndex: log.index,
        blockNumber: log.blockNumber,
        sender: (parsed.args[0] as string).toLowerCase(),
        amount,
      });
      if (!inserted || amount === 0n) continue;
      entries.push({
        ...position(log, batch.times),
        event: { type: 'revenue-received', id: logId(log), amount },
      });
      revenue += amount;
    }
    return { entries, revenue };
  }

  /** Logs and block times of blocks from..to, the horizon, and the opening fee. */
  private async readChain(from: number, to: number, emptyBooks: boolean): Promise<ChainBatch> {
    const start = this.options.startBlock;
    const times = new Map<number, number>();
    const timeOf = async (block: number) => {
      if (!times.has(block)) times.set(block, await this.chain.timestamp(block));
      return times.get(block)!;
    };
    const [transfers, feeChanges] =
      to >= from
        ? await Promise.all([
            this.logs(
              await this.chain.token.getAddress(),
              [TRANSFER_TOPIC, null, this.topicOfUnion()],
              from,
              to,
            ),
            this.logs(this.dataUnion, [FEE_TOPIC], from, to),
          ])
        : [[], []];
    for (const log of [...transfers, ...feeChanges]) await timeOf(log.blockNumber);
    const opening = emptyBooks && from <= start && to >= start;
    if (opening) await timeOf(start);
    return {
      transfers,
      feeChanges,
      times,
      horizon: to >= start ? await timeOf(to) : Number.NEGATIVE_INFINITY,
      openingFee: opening ? await this.feeBefore(start) : null,
    };
  }

  /**
   * The admin fee at the end of the block before `block`: 0 when the DataUnion did not exist yet
   * (its constructor's `AdminFeeChanged` is then in `block`), else read at that block (the node
   * must serve that block's state once, when the books open).
   */
  private async feeBefore(block: number): Promise<bigint> {
    if (block === 0) return 0n;
    const code = await this.chain.provider.getCode(this.dataUnion, block - 1);
    if (code === '0x') return 0n;
    return this.chain.dataUnion.adminFeeFraction({ blockTag: block - 1 });
  }

  private topicOfUnion(): string {
    return `0x${this.dataUnion.slice(2).padStart(64, '0')}`;
  }

  private async logs(
    address: string,
    topics: (string | null)[],
    from: number,
    to: number,
  ): Promise<Log[]> {
    const step = this.options.maxBlockRange ?? 2000;
    const out: Log[] = [];
    for (let start = from; start <= to; start += step) {
      const toBlock = Math.min(to, start + step - 1);
      out.push(
        ...(await this.chain.provider.getLogs({ address, topics, fromBlock: start, toBlock })),
      );
    }
    return out;
  }
}

function logId(log: Log): string {
  return `${log.transactionHash.toLowerCase()}:${log.index}`;
}

function position(log: Log, times: ReadonlyMap<number, number>) {
  return {
    blockNumber: log.blockNumber,
    logIndex: log.index,
    blockTime: times.get(log.blockNumber)!,
  };
}
