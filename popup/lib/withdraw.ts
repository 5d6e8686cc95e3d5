/**
 * Withdraw-form helpers: recipient validation (EIP-55 checksum, as the service worker checks it
 * again before signing) and following a withdrawal to its end. No browser APIs: tested in Node.
 */
import { getAddress, ZeroAddress } from 'ethers';

import type { MessageKey } from './message-key.ts';

export type RecipientCheck =
  | { kind: 'empty' }
  | { kind: 'invalid'; problem: MessageKey }
  | { kind: 'valid'; address: string; warning: MessageKey | null };

/**
 * What the member typed as a recipient: invalid (with why), or the checksummed address with a
 * warning when it is the member's own key address or the token contract (tokens sent there are
 * lost).
 */
export function checkRecipientInput(
  input: string,
  known: { member: string | null; token: string | null },
): RecipientCheck {
  const text = input.trim();
  if (text === '') return { kind: 'empty' };
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) return { kind: 'invalid', problem: 'withdrawBadAddress' };
  let address: string;
  try {
    address = getAddress(text);
  } catch {
    return { kind: 'invalid', problem: 'withdrawBadChecksum' };
  }
  if (address === ZeroAddress) return { kind: 'invalid', problem: 'withdrawZeroAddress' };
  const same = (other: string | null) =>
    other !== null && other.toLowerCase() === text.toLowerCase();
  if (same(known.token)) return { kind: 'valid', address, warning: 'withdrawTokenWarning' };
  if (same(known.member)) return { kind: 'valid', address, warning: 'withdrawOwnKeyWarning' };
  return { kind: 'valid', address, warning: null };
}

/**
 * Whether the form may send: nothing withdrawable, less than the union's minimum payout (it pays
 * the gas, so it relays nothing smaller; unknown for older unions), or ready.
 */
export function withdrawability(
  withdrawable: string,
  minWithdrawal: string | undefined,
): 'nothing' | 'below-minimum' | 'ready' {
  const amount = BigInt(withdrawable);
  if (amount === 0n) return 'nothing';
  if (minWithdrawal !== undefined && amount < BigInt(minWithdrawal)) return 'below-minimum';
  return 'ready';
}

/** A withdrawal stops being followed once it is confirmed or failed. */
export function isFinalStatus(status: string): boolean {
  return status === 'confirmed' || status === 'failed';
}

/** The status line's message key for a withdrawal status. */
export function withdrawalStatusKey(status: string): MessageKey {
  switch (status) {
    case 'confirmed':
      return 'withdrawStatusConfirmed';
    case 'failed':
      return 'withdrawStatusFailed';
    case 'mined':
      return 'withdrawStatusMined';
    default:
      return 'withdrawStatusPending';
  }
}
