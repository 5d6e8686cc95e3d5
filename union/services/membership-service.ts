/**
 * Membership changes as transactions: read the member (locked), ask the pure transition table,
 * save, and append the hash-chained log entry in the same transaction — so the log and the
 * members table can never disagree.
 */
import { CrowdsellError } from '../../extension/protocol/errors.ts';
import type { Db, Queryable } from '../db/db.ts';
import { appSecretId, appSecretMatches, appSecretUnusable } from '../domain/app-secret.ts';
import {
  secretCouldActivate,
  transition,
  type MemberAction,
  type MemberStatus,
} from '../domain/membership-rules.ts';
import { membersRepo, type MemberRow } from '../repo/members-repo.ts';
import { membershipLogRepo } from '../repo/membership-log-repo.ts';
import { secretsRepo } from '../repo/secrets-repo.ts';

export interface JoinResult {
  member: MemberRow;
  /** Whether an app secret was accepted (and one of its uses spent) by this request. */
  secretAccepted: boolean;
}

export class MembershipService {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  get(address: string): Promise<MemberRow | null> {
    return membersRepo.find(this.db, address.toLowerCase());
  }

  join(address: string, secret: string | undefined, autoJoin: boolean): Promise<JoinResult> {
    const member = address.toLowerCase();
    return this.db.transaction(async (tx) => {
      await lockMember(tx, member);
      const current = await membersRepo.find(tx, member, true);
      const at = new Date(this.now());
      let secretId: string | null = null;
      if (secret !== undefined && autoJoin && secretCouldActivate(current?.status ?? null)) {
        secretId = await this.spendSecret(tx, secret, at);
      }
      const result = await this.apply(
        tx,
        member,
        current,
        { kind: 'join', secretAccepted: secretId !== null },
        at,
        secretId,
      );
      return { member: result, secretAccepted: secretId !== null };
    });
  }

  /** approve / reject / remove (admin) or leave (the member). */
  act(address: string, kind: Exclude<MemberAction['kind'], 'join'>): Promise<MemberRow> {
    const member = address.toLowerCase();
    return this.db.transaction(async (tx) => {
      await lockMember(tx, member);
      const current = await membersRepo.find(tx, member, true);
      return this.apply(tx, member, current, { kind }, new Date(this.now()), null);
    });
  }

  private async apply(
    tx: Queryable,
    member: string,
    current: MemberRow | null,
    action: MemberAction,
    at: Date,
    secretId: string | null,
  ): Promise<MemberRow> {
    const t = transition(current?.status ?? null, action);
    if (!t.ok) throw new CrowdsellError(t.code, t.message);
    if (!t.changed && current) return current;
    const next: MemberRow = {
      address: member,
      status: t.next,
      requestedAt: current && !isRequest(current.status, t.next) ? current.requestedAt : at,
      joinedAt: t.next === 'active' ? at : (current?.joinedAt ?? null),
      statusChangedAt: at,
      lastReportAt: current?.lastReportAt ?? null,
    };
    await membersRepo.save(tx, next, secretId);
    if (t.log) await membershipLogRepo.append(tx, { at, type: t.log, member });
    return next;
  }

  /** Spends one use of a valid secret; null when the secret does not admit anyone now. */
  private async spendSecret(tx: Queryable, secret: string, at: Date): Promise<string | null> {
    const id = appSecretId(secret);
    if (!id) return null;
    const row = await secretsRepo.find(tx, id, true);
    if (!row || !appSecretMatches(secret, row.secretHash) || appSecretUnusable(row, at))
      return null;
    await secretsRepo.use(tx, id);
    return id;
  }
}

/** A new request restarts the clock: someone who left and asks again is requesting anew. */
function isRequest(from: MemberStatus, to: MemberStatus): boolean {
  return from === 'left' && (to === 'pending' || to === 'active');
}

/** Serialises changes to one member across connections and union instances. */
async function lockMember(tx: Queryable, member: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [member]);
}
