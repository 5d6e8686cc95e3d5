/**
 * Revenue watcher (DESIGN §5): each tick, under the singleton advisory lock and in ONE
 * transaction, it
 *  1. feeds membership changes from the members table to the accounting (join, leave, remove,
 *     and activity = an accepted report within the activity window),
 *  2. follows the contract's admin fee,
 *  3. reads token `Transfer` logs into the DataUnion from the cursor up to the head minus
 *     (confirmations − 1), in block order, each `(txHash, logIndex)` recorded once
 *     (revenue_transfers primary key) and credited as `revenue-received`,
 *  4. saves the events, the accounting state and the cursor together.
 * A crash anywhere leaves the previous state and cursor: the next tick redoes the work.
 */
import { Interface, type Log } from 'ethers';

import type { Db, Queryable } from '../db/db.ts';
import {
  eventToJson,
  MonoplasmaAccounting,
  type AccountingEvent,
} from '../monoplasma/accounting.ts';
import { monoplasmaRepo } from '../repo/monoplasma-repo.ts';
import { erc20Abi, type ChainClient } from '../chain/chain-client.ts';

const erc20 = new Interface(erc20Abi);
const TRANSFER_TOPIC = erc20.getEvent('Transfer')!.topicHash;

export interface WatcherOptions {
  dataUnion: string;
  startBlock: number;
  activityWindowSeconds: number;
  /** Used when the books start (empty state). */
  minMembershipAgeSeconds?: number;
  /** Largest block range per eth_getLogs call. */
  maxBlockRange?: number;
  now: () => number;
}

export interface WatchResult {
  /** False when another instance holds the lock. */
  ran: boolean;
  cursorBlock: number;
  events: number;
  revenue: bigint;
}

interface MemberFact {
  address: string;
  status: string;
  lastReportAt: Date | null;
}

/** Loads the accounting from the state row, or a fresh one (admin fee from the contract). */
export function accountingFrom(
  state: { accounting: unknown } | null,
  minMembershipAgeSeconds = 0,
): MonoplasmaAccounting {
  return state
    ? MonoplasmaAccounting.fromJSON(state.accounting)
    : new MonoplasmaAccounting({ minMembershipAgeSeconds });
}

export class RevenueWatcher {
  private readonly dataUnion: string;

  constructor(
    private readonly db: Db,
    private readonly chain: ChainClient,
    private readonly options: WatcherOptions,
  ) {
    this.dataUnion = options.dataUnion.toLowerCase();
  }

  async tick(): Promise<WatchResult> {
    // Chain reads first (outside the transaction: PGlite serialises everything behind it).
    const head = await this.chain.head();
    const target = head - (this.chain.confirmations - 1);
    const [fee, prior] = await Promise.all([
      this.chain.dataUnion.adminFeeFraction(),
      monoplasmaRepo.state(this.db),
    ]);
    const from =
      Math.max(prior?.cursorBlock ?? this.options.startBlock - 1, this.options.startBlock - 1) + 1;
    const logs = target >= from ? await this.transfers(from, target) : [];
    const times = new Map<number, number>();
    for (const log of logs) {
      if (!times.has(log.blockNumber))
        times.set(log.blockNumber, await this.chain.timestamp(log.blockNumber));
    }

    return this.db.transaction(async (tx) => {
      if (!(await monoplasmaRepo.tryLock(tx))) {
        return { ran: false, cursorBlock: prior?.cursorBlock ?? -1, events: 0, revenue: 0n };
      }
      const state = await monoplasmaRepo.state(tx, true);
      const cursor = state?.cursorBlock ?? this.options.startBlock - 1;
      const accounting = accountingFrom(state, this.options.minMembershipAgeSeconds);
      // Each event with its block: the transfer's block for revenue, else the cursor (every
      // revenue up to it was applied before), so the published log reads in block order.
      const events: { event: AccountingEvent; blockNumber: number }[] = [];
      const apply = (event: AccountingEvent, blockNumber = cursor) => {
        if (accounting.apply(event)) events.push({ event, blockNumber });
      };
      const nowS = () => Math.max(accounting.clock, Math.floor(this.options.now() / 1000));

      if (fee !== accounting.adminFeeFraction) {
        apply({ type: 'admin-fee-set', fraction: fee, at: nowS() });
      }
      for (const change of this.membershipChanges(accounting, await membersOf(tx), nowS)) {
        apply(change);
      }

      let revenue = 0n;
      let newCursor = cursor;
      if (state === null || state.cursorBlock < target) {
        for (const log of logs) {
          if (log.blockNumber <= cursor) continue; // another instance got there first
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
          const at = Math.max(accounting.clock, times.get(log.blockNumber) ?? 0);
          apply(
            {
              type: 'revenue-received',
              id: `${log.transactionHash.toLowerCase()}:${log.index}`,
              amount,
              at,
            },
            log.blockNumber,
          );
          revenue += amount;
        }
        newCursor = Math.max(cursor, target);
      }

      if (events.length > 0 || newCursor !== cursor || state === null) {
        await monoplasmaRepo.appendEvents(
          tx,
          events.map((e) => ({ event: eventToJson(e.event), blockNumber: e.blockNumber })),
        );
        await monoplasmaRepo.saveState(tx, newCursor, accounting.toJSON(), events.length > 0);
      }
      return { ran: true, cursorBlock: newCursor, events: events.length, revenue };
    });
  }

  private async transfers(from: number, to: number): Promise<Log[]> {
    const step = this.options.maxBlockRange ?? 2000;
    const out: Log[] = [];
    const toTopic = `0x${this.dataUnion.slice(2).padStart(64, '0')}`;
    for (let start = from; start <= to; start += step) {
      const logs = await this.chain.provider.getLogs({
        address: await this.chain.token.getAddress(),
        topics: [TRANSFER_TOPIC, null, toTopic],
        fromBlock: start,
        toBlock: Math.min(to, start + step - 1),
      });
      out.push(...logs);
    }
    return out.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  }

  /** Events that bring the accounting in line with the members table (O(members)). */
  private *membershipChanges(
    accounting: MonoplasmaAccounting,
    members: MemberFact[],
    at: () => number,
  ): Generator<AccountingEvent> {
    const windowStart = this.options.now() - this.options.activityWindowSeconds * 1000;
    for (const m of members) {
      const known = accounting.member(m.address);
      const isMember = known?.status === 'member';
      if (m.status === 'active') {
        if (!isMember) yield { type: 'member-joined', address: m.address, at: at() };
        const active = m.lastReportAt !== null && m.lastReportAt.getTime() >= windowStart;
        if (active !== (isMember ? known.active : false)) {
          yield { type: 'member-activity-changed', address: m.address, active, at: at() };
        }
      } else if (isMember && (m.status === 'left' || m.status === 'removed')) {
        yield {
          type: m.status === 'left' ? 'member-left' : 'member-removed',
          address: m.address,
          at: at(),
        };
      }
    }
  }
}

async function membersOf(tx: Queryable): Promise<MemberFact[]> {
  const r = await tx.query<{ address: string; status: string; last_report_at: unknown }>(
    `SELECT address, status, last_report_at FROM members
     WHERE status IN ('active', 'left', 'removed') ORDER BY address`,
  );
  return r.rows.map((row) => ({
    address: row.address,
    status: row.status,
    lastReportAt:
      row.last_report_at === null ? null : new Date(row.last_report_at as string | number | Date),
  }));
}
