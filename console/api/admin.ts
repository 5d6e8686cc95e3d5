/** Admin API calls (session cookie) and the few public reads the admin views need. */
import type { SignedConfig } from '../../extension/protocol/config.ts';
import { api, ApiError } from './client.ts';
import type { LogEntry, LogPage, Member, MembersPage, MemberStatus } from './types.ts';

const MAX_PAGES = 50;

/** Every member (optionally of one status), following `next` (at most 50 000). */
export async function listMembers(status?: MemberStatus): Promise<Member[]> {
  const all: Member[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({ limit: '1000' });
    if (status) query.set('status', status);
    if (after) query.set('after', after);
    const answer: MembersPage = await api<MembersPage>(`/v1/admin/members?${query.toString()}`);
    all.push(...answer.members);
    after = answer.next;
    if (!after) break;
  }
  return all;
}

export function memberAction(address: string, action: 'approve' | 'reject' | 'remove') {
  return api<{ member: Member }>(`/v1/admin/members/${address}/${action}`, { method: 'POST' });
}

export async function membershipLog(): Promise<LogEntry[]> {
  const all: LogEntry[] = [];
  let after = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await api<LogPage>(`/v1/membership-log?after=${after}&limit=1000`);
    all.push(...answer.entries);
    if (answer.next === null) break;
    after = answer.next;
  }
  return all;
}

/** The live signed config, or null before the first one is published. */
export async function liveConfig(): Promise<SignedConfig | null> {
  try {
    return await api<SignedConfig>('/v1/config');
  } catch (error) {
    if (error instanceof ApiError && error.code === 'NO_CONFIG') return null;
    throw error;
  }
}

export function configVersion(version: number) {
  return api<SignedConfig>(`/v1/configs/${version}`);
}
