/**
 * Membership changes as transactions: read the member (locked), ask the pure transition table,
 * save, and append the hash-chained log entry in the same transaction — so the log and the
 * members table can never disagree. Joins, which arrive by the thousand, share transactions
 * (services/join-group.ts); admin actions and leaves take one each.
 */
import { CrowdsellError } from '../../extension/protocol/errors.ts';
import type { Db } from '../db/db.ts';
import { memberAfter } from '../domain/join-plan.ts';
import { transition, type MemberAction } from '../domain/membership-rules.ts';
import { membersRepo, type MemberRow } from '../repo/members-repo.ts';
import { membershipLogRepo } from '../repo/membership-log-repo.ts';
import { JoinGroups, lockMembers, type JoinResult } from './join-group.ts';

export type { JoinResult } from './join-group.ts';

export class MembershipService {
  private readonly joins: JoinGroups;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {
    this.joins = new JoinGroups(db, now);
  }

  get(address: string): Promise<MemberRow | null> {
    return membersRepo.find(this.db, address.toLowerCase());
  }

  /** Answered once the join (and its log entry, if any) is committed. */
  join(address: string, secret: string | undefined, autoJoin: boolean): Promise<JoinResult> {
    return this.joins.join({ member: address.toLowerCase(), secret, autoJoin });
  }

  /** Transactions and joins the join groups have taken so far. */
  joinStats(): { groups: number; joins: number } {
    return this.joins.stats();
  }

  /** approve / reject / remove (admin) or leave (the member). */
  act(address: string, kind: Exclude<MemberAction['kind'], 'join'>): Promise<MemberRow> {
    const member = address.toLowerCase();
    return this.db.transaction(async (tx) => {
      await lockMembers(tx, [member]);
      const current = await membersRepo.find(tx, member, true);
      const t = transition(current?.status ?? null, { kind });
      if (!t.ok) throw new CrowdsellError(t.code, t.message);
      if (!t.changed && current) return current;
      const at = new Date(this.now());
      const next = memberAfter(member, current, t.next, at);
      await membersRepo.save(tx, next);
      if (t.log) await membershipLogRepo.append(tx, { at, type: t.log, member });
      return next;
    });
  }
}
