/**
 * The accounting rules written the slow, obvious way, for differential tests: every revenue
 * event loops over all members. Same inputs must give exactly the same totals as the O(1)
 * accumulator in monoplasma-accounting.ts.
 */
import type { AccountingEvent } from './events.ts';
import { FEE_SCALE } from './inputs.ts';

interface ReferenceMember {
  status: 'member' | 'left' | 'removed';
  joinedAt: number;
  active: boolean;
  total: bigint;
}

export type ReferenceOutcome = 'applied' | 'duplicate' | 'refused';

export class ReferenceAccounting {
  readonly members = new Map<string, ReferenceMember>();
  adminTotal = 0n;
  remainder = 0n;
  totalRevenue = 0n;
  private clock = 0;
  private readonly revenue = new Map<string, bigint>();
  private readonly feeChanges = new Set<string>();

  constructor(
    private fee: bigint,
    private readonly minAge: number,
  ) {}

  apply(event: AccountingEvent): ReferenceOutcome {
    if (event.type === 'revenue-received') {
      const id = event.id.toLowerCase();
      const seen = this.revenue.get(id);
      if (seen !== undefined) return seen === event.amount ? 'duplicate' : 'refused';
    }
    if (event.type === 'admin-fee-set' && event.id !== undefined) {
      if (this.feeChanges.has(event.id.toLowerCase())) return 'duplicate';
    }
    if (event.at < this.clock) return 'refused';
    const key = 'address' in event ? event.address.toLowerCase() : '';
    const member = this.members.get(key);
    const isMember = member?.status === 'member';
    switch (event.type) {
      case 'member-joined':
        if (isMember) return 'refused';
        this.members.set(key, {
          status: 'member',
          joinedAt: event.at,
          active: false,
          total: member?.total ?? 0n,
        });
        break;
      case 'member-activity-changed':
        if (!isMember) return 'refused';
        member.active = event.active;
        break;
      case 'member-left':
      case 'member-removed':
        if (!isMember) return 'refused';
        member.status = event.type === 'member-left' ? 'left' : 'removed';
        break;
      case 'admin-fee-set':
        if (event.fraction < 0n || event.fraction > FEE_SCALE) return 'refused';
        this.fee = event.fraction;
        if (event.id !== undefined) this.feeChanges.add(event.id.toLowerCase());
        break;
      case 'revenue-received':
        this.revenue.set(event.id.toLowerCase(), event.amount);
        this.share(event.amount, event.at);
        break;
    }
    this.clock = event.at;
    return 'applied';
  }

  totalOf(address: string): bigint {
    return this.members.get(address.toLowerCase())?.total ?? 0n;
  }

  private share(amount: bigint, at: number): void {
    this.totalRevenue += amount;
    const earners = [...this.members.values()].filter(
      (m) => m.status === 'member' && m.active && at >= m.joinedAt + this.minAge,
    );
    if (earners.length === 0) {
      this.adminTotal += amount;
      return;
    }
    const adminCut = (amount * this.fee) / FEE_SCALE;
    this.adminTotal += adminCut;
    const pool = amount - adminCut + this.remainder;
    const each = pool / BigInt(earners.length);
    for (const m of earners) m.total += each;
    this.remainder = pool - each * BigInt(earners.length);
  }
}
