/**
 * Pure formatting and validation helpers for the popup and onboarding pages. No browser APIs here,
 * so they are unit-tested in Node. Nothing heavy either (no zod, no ethers): the status header uses
 * them, so they are part of the popup's first chunk.
 */
import type { MessageKey } from './message-key.ts';

/** `0x1234…abcd`: enough to recognise an address at a glance; the full one is one click away. */
export function shortAddress(address: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return address;
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** The backup password must survive an offline guessing attack on a file that may leak. */
export const MIN_BACKUP_PASSWORD_LENGTH = 10;

/** The first thing wrong with a backup password pair, as a message key; null when it is fine. */
export function backupPasswordProblem(password: string, repeated: string): MessageKey | null {
  if ([...password].length < MIN_BACKUP_PASSWORD_LENGTH) return 'backupPasswordTooShort';
  if (password.trim() === '') return 'backupPasswordTooShort';
  if (password !== repeated) return 'backupPasswordMismatch';
  return null;
}

/** `crowdsell-backup-0x1234ab-2025-06-01.json` (UTC date), so files sort and are recognisable. */
export function backupFileName(address: string, nowMs: number): string {
  const day = new Date(nowMs).toISOString().slice(0, 10);
  return `crowdsell-backup-${address.slice(0, 8).toLowerCase()}-${day}.json`;
}

/** A local date and time, e.g. "1 Jun 2025, 14:03". */
export function formatDateTime(ms: number, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** An epoch's UTC day(s): "1 Jun 2025" for a one-day epoch, a range otherwise. */
export function formatEpoch(epochStart: number, epochSeconds: number, locale?: string): string {
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const start = day.format(epochStart * 1000);
  const end = day.format((epochStart + epochSeconds - 1) * 1000);
  return start === end ? start : `${start} – ${end}`;
}

/** Pretty-prints JSON text for the raw view; returns the text unchanged when it is not JSON. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** What the member typed as a site, trimmed; the service worker validates it fully. */
export function cleanSiteInput(input: string): string | null {
  const site = input.trim();
  if (site === '' || /\s/.test(site)) return null;
  return site;
}
