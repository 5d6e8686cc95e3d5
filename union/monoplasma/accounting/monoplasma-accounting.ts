/**
 * Monoplasma revenue share, exact and O(1) per revenue event (DESIGN §5).
 *
 * Revenue R: the admin gets floor(R · fee / 1e18); the rest, plus the remainder carried from
 * earlier revenue, is split equally among the members earning right now by raising one
 * accumulator, `earningsPerShare`, by floor(pool / earners) and carrying pool mod earners to
 * the next revenue. A member's total is `settled + (earningsPerShare − entry)` while earning and
 * `settled` otherwise; it is materialised into `settled` whenever the member stops earning.
 * With nobody earning, the member share goes to the admin. Invariant after every event:
 * Σ member totals + admin total + carried remainder = Σ revenue, and no total ever decreases.
 *
 * A member earns while joined (not left or removed), active (the caller reports activity) and
 * mature (membership age ≥ minMembershipAgeSeconds, the sybil damping). Maturity needs no
 * caller event: joins wait in a queue ordered by maturity time, and before each event every
 * member whose time has come is matured (docs/monoplasma.md).
 */
import { AccountingError } from './errors.ts';
import type { AccountingEvent } from './events.ts';
import {
  checkAmount,
  checkFee,
  checkMinAge,
  checkTime,
  FEE_SCALE,
  memberKey,
  logIdKey,
} from './inputs.ts';
import { MaturityQueue } from './maturity-queue.ts';
import { checkedDerivedState } from './state-check.ts';
import {
  headerToJson,
  isEarning,
  memberToJson,
  memberTotal,
  stateFromJson,
  stateToJson,
  type AccountingHeaderJson,
  type AccountingState,
  type AccountingStateJson,
  type MemberJson,
  type MemberState,
  type MemberStatus,
} from './state.ts';

export { FEE_SCALE } from './inputs.ts';

export interface AccountingOptions {
  /** Seconds a member must have been in the union before earning. Default 0. */
  readonly minMembershipAgeSeconds?: number;
  /** Initial admin fee, 1e18 = 100 %. Default 0. */
  readonly adminFeeFraction?: bigint;
}

export interface MemberView {
  readonly address: string;
  readonly status: MemberStatus;
  readonly joinedAt: number;
  readonly active: boolean;
  readonly matured: boolean;
  readonly earning: boolean;
  readonly total: bigint;
}

export interface MemberTotal {
  /** Lower case. */
  readonly address: string;
  readonly total: bigint;
}

export interface AccountingSnapshot {
  /** Time of the latest event. */
  readonly at: number;
  readonly totalRevenue: bigint;
  readonly adminTotal: bigint;
  readonly carriedRemainder: bigint;
  /** Every member who ever joined (leaving never removes earnings), in order of first join. */
  readonly members: MemberTotal[];
}

/** A member changed since the last `takeChangedMembers()`; `position` is set for a new one. */
export interface ChangedMember {
  /** Order of first join (0-based), only for members new since the last take. */
  readonly position: number | null;
  readonly member: MemberJson;
}

export class MonoplasmaAccounting {
  private state: AccountingState;
  private maturing = new MaturityQueue();
  private earners = 0;
  private work = 0;
  /** Members touched since the last take → their position when new (else null). */
  private changed = new Map<string, number | null>();

  constructor(options: AccountingOptions = {}) {
    const minAge = checkMinAge(options.minMembershipAgeSeconds ?? 0);
    const fee = checkFee(options.adminFeeFraction ?? 0n);
    this.state = {
      minMembershipAgeSeconds: minAge,
      adminFeeFraction: fee,
      clock: 0,
      totalRevenue: 0n,
      adminTotal: 0n,
      carriedRemainder: 0n,
      earningsPerShare: 0n,
      members: new Map(),
      revenue: new Map(),
      feeChanges: new Set(),
    };
  }

  /** Replays a log from an empty state; the same log always gives the same state. */
  static replay(
    events: Iterable<AccountingEvent>,
    options: AccountingOptions = {},
  ): MonoplasmaAccounting {
    const accounting = new MonoplasmaAccounting(options);
    for (const event of events) accounting.apply(event);
    return accounting;
  }

  /** Restores a state saved with toJSON(); throws ACCOUNTING_INVALID_STATE if inconsistent. */
  static fromJSON(json: unknown): MonoplasmaAccounting {
    const state = stateFromJson(json);
    const accounting = new MonoplasmaAccounting({
      minMembershipAgeSeconds: state.minMembershipAgeSeconds,
      adminFeeFraction: state.adminFeeFraction,
    });
    accounting.restore(state);
    return accounting;
  }

  /**
   * Brings these books to a later saved state: its header and the members changed since (in
   * position order; a new member's position must be the next one). Throws
   * ACCOUNTING_INVALID_STATE if the result is inconsistent — the books are then unusable: load
   * them again.
   */
  catchUp(header: unknown, changed: readonly ChangedMember[]): void {
    const later = stateFromJson({ ...(header as object), members: changed.map((c) => c.member) });
    const members = this.state.members;
    for (const { position, member } of changed) {
      const key = member[0];
      if (!members.has(key) && position !== members.size) {
        throw new AccountingError(
          'ACCOUNTING_INVALID_STATE',
          `The saved books place new member ${key} at ${position}, not ${members.size}.`,
        );
      }
      members.set(key, later.members.get(key)!);
    }
    this.restore({ ...later, members });
    this.changed = new Map();
  }

  toJSON(): AccountingStateJson {
    return stateToJson(this.state);
  }

  /** The state without its members: `{ ...header(), members }` is toJSON(). */
  header(): AccountingHeaderJson {
    return headerToJson(this.state);
  }

  /**
   * The members touched (joined, matured, activity or status changed) since the last call, in
   * the order first touched, and forgets them: what an incremental save must write. A revenue
   * event touches no member. A restored accounting starts with none.
   */
  takeChangedMembers(): ChangedMember[] {
    const out = Array.from(this.changed, ([address, position]) => ({
      position,
      member: memberToJson(address, this.state.members.get(address)!),
    }));
    this.changed = new Map();
    return out;
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────

  /** Applies one event. Returns false only for a revenue or fee-change id already processed (a no-op). */
  apply(event: AccountingEvent): boolean {
    switch (event.type) {
      case 'member-joined':
        this.memberJoined(event.address, event.at);
        return true;
      case 'member-activity-changed':
        this.memberActivityChanged(event.address, event.active, event.at);
        return true;
      case 'member-left':
        this.memberLeft(event.address, event.at);
        return true;
      case 'member-removed':
        this.memberRemoved(event.address, event.at);
        return true;
      case 'revenue-received':
        return this.revenue(event.id, event.amount, event.at);
      case 'admin-fee-set':
        return this.setAdminFee(event.fraction, event.at, event.id);
    }
  }

  /** A new member, or a returning one (earnings kept, age and activity start over). Inactive. */
  memberJoined(address: string, at: number): void {
    const key = memberKey(address);
    const existing = this.state.members.get(key);
    if (existing?.status === 'member') {
      throw new AccountingError('ACCOUNTING_ALREADY_MEMBER', `${key} is already a member.`);
    }
    this.advance(at);
    const matured = this.state.minMembershipAgeSeconds === 0;
    const fresh = { status: 'member', joinedAt: at, active: false, matured } as const;
    if (existing === undefined) {
      if (!this.changed.has(key)) this.changed.set(key, this.state.members.size);
      this.state.members.set(key, { ...fresh, settled: 0n, entryEarningsPerShare: 0n });
    } else {
      if (!this.changed.has(key)) this.changed.set(key, null);
      Object.assign(existing, fresh); // a returning member keeps `settled`; they were not earning
    }
    this.work++;
    if (!matured) {
      this.maturing.push({ maturesAt: at + this.state.minMembershipAgeSeconds, address: key });
    }
  }

  /** The caller's verdict on activity (an accepted report within the window, or none). */
  memberActivityChanged(address: string, active: boolean, at: number): void {
    const member = this.currentMember(address);
    this.advance(at);
    this.update(memberKey(address), member, () => (member.active = active));
  }

  /** The member left: stops earning, keeps every token earned. */
  memberLeft(address: string, at: number): void {
    this.end(address, 'left', at);
  }

  /** An admin removed the member: stops earning, keeps every token earned. */
  memberRemoved(address: string, at: number): void {
    this.end(address, 'removed', at);
  }

  /**
   * Revenue `amount` (token base units) identified by `${txHash}:${logIndex}`. O(1): one
   * accumulator update, whatever the member count. A repeated id is ignored (returns false);
   * a repeated id with another amount throws ACCOUNTING_REVENUE_CONFLICT.
   */
  revenue(id: string, amount: bigint, at: number): boolean {
    const key = logIdKey(id);
    checkAmount(amount);
    const seen = this.state.revenue.get(key);
    if (seen !== undefined) {
      if (seen === amount) return false;
      throw new AccountingError(
        'ACCOUNTING_REVENUE_CONFLICT',
        `Revenue ${key} was already processed with amount ${seen}, not ${amount}.`,
      );
    }
    this.advance(at);
    this.state.revenue.set(key, amount);
    this.distribute(amount);
    return true;
  }

  /**
   * Sets the admin fee for later revenue (1e18 = 100 %). `id` names the chain log it came from
   * (`txHash:logIndex`); a repeated id is ignored (returns false), so re-reading a block range
   * never re-applies an old fee.
   */
  setAdminFee(fraction: bigint, at: number, id?: string): boolean {
    checkFee(fraction);
    const key = id === undefined ? undefined : logIdKey(id);
    if (key !== undefined && this.state.feeChanges.has(key)) return false;
    this.advance(at);
    this.state.adminFeeFraction = fraction;
    if (key !== undefined) this.state.feeChanges.add(key);
    return true;
  }

  /** Moves the clock to `at` without an event, maturing members whose time has come. */
  advanceTo(at: number): void {
    this.advance(at);
  }

  // ── reading ───────────────────────────────────────────────────────────────────────────────

  /** Total earned by `address` (0 for a stranger). O(1). */
  totalOf(address: string): bigint {
    const member = this.state.members.get(memberKey(address));
    return member === undefined ? 0n : memberTotal(member, this.state.earningsPerShare);
  }

  member(address: string): MemberView | undefined {
    const key = memberKey(address);
    const s = this.state;
    const m = s.members.get(key);
    if (m === undefined) return undefined;
    const { status, joinedAt, active, matured } = m;
    const total = memberTotal(m, s.earningsPerShare);
    return { address: key, status, joinedAt, active, matured, earning: isEarning(m), total };
  }

  /**
   * Status and activity of `address` without its total: O(1) and no allocation, for callers
   * that look at every member (the revenue watcher's membership changes).
   */
  standing(address: string): Readonly<Pick<MemberState, 'status' | 'active'>> | undefined {
    return this.state.members.get(address.toLowerCase());
  }

  /** Every member's total, as of the latest event. O(members). */
  snapshot(): AccountingSnapshot {
    const s = this.state;
    return {
      at: s.clock,
      totalRevenue: s.totalRevenue,
      adminTotal: s.adminTotal,
      carriedRemainder: s.carriedRemainder,
      members: Array.from(s.members, ([address, m]) => ({
        address,
        total: memberTotal(m, s.earningsPerShare),
      })),
    };
  }

  /** Calls `fn` with every member's total in snapshot order, allocating nothing per member. */
  forEachTotal(fn: (address: string, total: bigint) => void): void {
    const eps = this.state.earningsPerShare;
    for (const [address, m] of this.state.members) fn(address, memberTotal(m, eps));
  }

  /** Calls `fn` with every member's address in snapshot order, computing no total. */
  forEachAddress(fn: (address: string) => void): void {
    for (const address of this.state.members.keys()) fn(address);
  }

  get clock(): number {
    return this.state.clock;
  }
  get totalRevenue(): bigint {
    return this.state.totalRevenue;
  }
  get adminTotal(): bigint {
    return this.state.adminTotal;
  }
  get carriedRemainder(): bigint {
    return this.state.carriedRemainder;
  }
  get earningsPerShare(): bigint {
    return this.state.earningsPerShare;
  }
  get adminFeeFraction(): bigint {
    return this.state.adminFeeFraction;
  }
  get minMembershipAgeSeconds(): number {
    return this.state.minMembershipAgeSeconds;
  }
  /** Members earning right now. */
  get earnerCount(): number {
    return this.earners;
  }
  /** Members ever joined, including those who left. */
  get memberCount(): number {
    return this.state.members.size;
  }
  /**
   * Member records touched so far (joins, status changes, maturity). A revenue event adds
   * nothing: the tests use this to show revenue does no per-member work.
   */
  get memberWork(): number {
    return this.work;
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  private distribute(amount: bigint): void {
    const s = this.state;
    const adminCut = (amount * s.adminFeeFraction) / FEE_SCALE;
    const memberShare = amount - adminCut;
    s.totalRevenue += amount;
    if (this.earners === 0) {
      s.adminTotal += amount; // nobody to share with: all of it to the admin, as Monoplasma
      return;
    }
    s.adminTotal += adminCut;
    const pool = memberShare + s.carriedRemainder;
    const earners = BigInt(this.earners);
    const each = pool / earners;
    s.earningsPerShare += each;
    s.carriedRemainder = pool - each * earners;
  }

  /** Mutates a member and materialises their total if that changed whether they earn. */
  private update(key: string, member: MemberState, mutate: () => void): void {
    const was = isEarning(member);
    mutate();
    const now = isEarning(member);
    this.work++;
    if (!this.changed.has(key)) this.changed.set(key, null);
    if (was === now) return;
    if (now) {
      member.entryEarningsPerShare = this.state.earningsPerShare;
      this.earners++;
    } else {
      member.settled += this.state.earningsPerShare - member.entryEarningsPerShare;
      this.earners--;
    }
  }

  private end(address: string, status: 'left' | 'removed', at: number): void {
    const member = this.currentMember(address);
    this.advance(at);
    this.update(memberKey(address), member, () => (member.status = status));
  }

  private currentMember(address: string): MemberState {
    const key = memberKey(address);
    const member = this.state.members.get(key);
    if (member?.status !== 'member') {
      throw new AccountingError('ACCOUNTING_NOT_MEMBER', `${key} is not a member.`);
    }
    return member;
  }

  /** Checks `at`, then matures every member whose time has come by `at`. */
  private advance(at: number): void {
    checkTime(at);
    if (at < this.state.clock) {
      throw new AccountingError(
        'ACCOUNTING_TIME_WENT_BACKWARDS',
        `Events must come in time order: ${at} is before the previous event at ${this.state.clock}.`,
      );
    }
    this.state.clock = at;
    const minAge = this.state.minMembershipAgeSeconds;
    for (let due = this.maturing.popDue(at); due; due = this.maturing.popDue(at)) {
      const member = this.state.members.get(due.address);
      // Stale entries (left before maturing, or re-joined later) are skipped.
      if (
        member === undefined ||
        member.status !== 'member' ||
        member.matured ||
        member.joinedAt + minAge !== due.maturesAt
      ) {
        continue;
      }
      this.update(due.address, member, () => (member.matured = true));
    }
  }

  private restore(state: AccountingState): void {
    const { earners, maturing } = checkedDerivedState(state);
    this.state = state;
    this.maturing = maturing;
    this.earners = earners;
  }
}
