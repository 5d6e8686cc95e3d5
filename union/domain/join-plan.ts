/**
 * What a group of joins does, decided without the database (issue 19: joins share one commit).
 * Given the members' rows and the app secrets they present, as locked at the start of the group's
 * transaction, the joins are applied one after the other in arrival order, exactly as one
 * transaction each would apply them: a member joining twice sees the first join's result, and a
 * secret's uses count the group's earlier spends, so its use limit holds. The adapter
 * (services/join-group.ts) writes the result: members' final rows, the log entries in order, and
 * the secrets' new use counts.
 */
import {
  appSecretId,
  appSecretMatches,
  appSecretUnusable,
  type AppSecretState,
} from './app-secret.ts';
import {
  secretCouldActivate,
  transition,
  type LogType,
  type MemberAction,
  type MemberStatus,
} from './membership-rules.ts';

export interface MemberState {
  address: string;
  status: MemberStatus;
  requestedAt: Date;
  joinedAt: Date | null;
  statusChangedAt: Date;
  lastReportAt: Date | null;
}

export interface JoinAsk {
  /** Lower-case address. */
  member: string;
  secret: string | undefined;
  autoJoin: boolean;
}

export interface SecretState extends AppSecretState {
  secretHash: string;
}

export type JoinOutcome =
  | { ok: true; member: MemberState; secretAccepted: boolean }
  | { ok: false; code: string; message: string };

export interface JoinPlan {
  /** One per ask, in order. */
  outcomes: JoinOutcome[];
  /** Each changed member's final row and the last secret that admitted it in this group. */
  saves: { row: MemberState; secretId: string | null }[];
  /** Log entries to append, in order. */
  log: { at: Date; type: LogType; member: string }[];
  /** Uses spent per secret id. */
  secretUses: Map<string, number>;
}

/** A new request restarts the clock: someone who left and asks again is requesting anew. */
function isRequest(from: MemberStatus, to: MemberStatus): boolean {
  return from === 'left' && (to === 'pending' || to === 'active');
}

/** A member's row after moving to `next` at `at` (the one rule for joins and admin actions). */
export function memberAfter(
  member: string,
  current: MemberState | null,
  next: MemberStatus,
  at: Date,
): MemberState {
  return {
    address: member,
    status: next,
    requestedAt: current && !isRequest(current.status, next) ? current.requestedAt : at,
    joinedAt: next === 'active' ? at : (current?.joinedAt ?? null),
    statusChangedAt: at,
    lastReportAt: current?.lastReportAt ?? null,
  };
}

/** The id of a secret that admits a member now, counting `spent` earlier uses; else null. */
function admittingSecret(
  secret: string,
  secrets: ReadonlyMap<string, SecretState>,
  spent: ReadonlyMap<string, number>,
  at: Date,
): string | null {
  const id = appSecretId(secret);
  const row = id ? secrets.get(id) : undefined;
  if (!id || !row || !appSecretMatches(secret, row.secretHash)) return null;
  return appSecretUnusable({ ...row, uses: row.uses + (spent.get(id) ?? 0) }, at) ? null : id;
}

export function planJoins(
  asks: readonly JoinAsk[],
  members: ReadonlyMap<string, MemberState>,
  secrets: ReadonlyMap<string, SecretState>,
  at: Date,
): JoinPlan {
  const state = new Map(members);
  const saves = new Map<string, { row: MemberState; secretId: string | null }>();
  const log: JoinPlan['log'] = [];
  const secretUses = new Map<string, number>();
  const outcomes = asks.map((ask): JoinOutcome => {
    const current = state.get(ask.member) ?? null;
    const secretId =
      ask.secret !== undefined && ask.autoJoin && secretCouldActivate(current?.status ?? null)
        ? admittingSecret(ask.secret, secrets, secretUses, at)
        : null;
    const action: MemberAction = { kind: 'join', secretAccepted: secretId !== null };
    const t = transition(current?.status ?? null, action);
    if (!t.ok) return { ok: false, code: t.code, message: t.message };
    if (!t.changed && current) return { ok: true, member: current, secretAccepted: false };
    const next = memberAfter(ask.member, current, t.next, at);
    state.set(ask.member, next);
    const previous = saves.get(ask.member);
    saves.set(ask.member, { row: next, secretId: secretId ?? previous?.secretId ?? null });
    if (t.log) log.push({ at, type: t.log, member: ask.member });
    if (secretId) secretUses.set(secretId, (secretUses.get(secretId) ?? 0) + 1);
    return { ok: true, member: next, secretAccepted: secretId !== null };
  });
  return { outcomes, saves: [...saves.values()], log, secretUses };
}
