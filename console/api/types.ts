/** Shapes of the union API answers the console reads (docs/union-api.md). */
import type { SignedConfig } from '../../extension/protocol/config.ts';

export type MemberStatus = 'pending' | 'active' | 'left' | 'removed' | 'rejected';
export const memberStatusList: readonly MemberStatus[] = [
  'pending',
  'active',
  'left',
  'removed',
  'rejected',
];

export interface UnionInfo {
  chainId: number;
  contracts: { dataUnion: string } & Record<string, string>;
  admin: string;
  operator: string;
  joinPolicy: { autoJoin: boolean };
  config: SignedConfig | null;
  /** The limits this union applies to configs (extension/protocol/privacy-budget.ts). */
  privacyLimits?: 'store' | 'development';
  epoch: {
    epochSeconds: number | null;
    acceptanceWindowSeconds: number;
    activityWindowSeconds: number;
  };
}

export interface Member {
  address: string;
  status: MemberStatus;
  requestedAt: string | null;
  joinedAt: string | null;
  statusChangedAt: string | null;
  lastReportAt?: string | null;
}

export interface MembersPage {
  members: Member[];
  next: string | null;
}

export interface AppSecret {
  id: string;
  label: string;
  maxUses: number | null;
  uses: number;
  expiresAt: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export interface LogEntry {
  seq: number;
  at: string;
  type: 'join' | 'leave' | 'remove' | 'reject';
  member: string;
}

export interface LogPage {
  entries: LogEntry[];
  next: number | null;
}

export interface Session {
  address: string;
  expiresAt: string;
}
