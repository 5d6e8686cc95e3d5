/**
 * The popup paints its main view from the last status it saw (kept in this page's localStorage,
 * which only our own extension pages can read) and refreshes it from the service worker at once —
 * so opening the popup does not wait for a sleeping service worker to wake up. The cache holds
 * only what the popup displays (never key material).
 *
 * Only this popup writes the entry, so it is trusted once it comes from the running extension
 * version (a shape from an older build is dropped) and has the fields the first paint reads.
 * The full zod schema is deliberately not used here: it would pull zod into the popup's first
 * chunk, and the service worker's answer replaces the cached status a moment later anyway.
 */
import type { ResultOf } from '../../extension/protocol/messages.ts';

const KEY = 'crowdsell.popup.status';

export type Status = ResultOf<'status'>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isNumberOrNull(value: unknown): boolean {
  return value === null || typeof value === 'number';
}

/** True when `value` has what the status header, tabs and footer read to paint. */
function looksLikeStatus(value: unknown): value is Status {
  if (!isObject(value)) return false;
  const { join, paused, config, outbox } = value;
  return (
    typeof value.version === 'string' &&
    typeof value.ready === 'boolean' &&
    typeof value.recording === 'boolean' &&
    typeof value.enabledCategories === 'number' &&
    isNumberOrNull(value.consentGivenAt) &&
    (paused === null || (isObject(paused) && typeof paused.since === 'number')) &&
    isObject(join) &&
    typeof join.status === 'string' &&
    typeof join.member === 'string' &&
    isObject(config) &&
    isObject(outbox)
  );
}

export function readCachedStatus(
  storage: Pick<Storage, 'getItem'> | undefined,
  extensionVersion: string,
): Status | undefined {
  try {
    const text = storage?.getItem(KEY);
    if (!text) return undefined;
    const parsed: unknown = JSON.parse(text);
    return looksLikeStatus(parsed) && parsed.version === extensionVersion ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function writeCachedStatus(storage: Pick<Storage, 'setItem'> | undefined, status: Status) {
  try {
    storage?.setItem(KEY, JSON.stringify(status));
  } catch {
    // A full or disabled storage only costs the fast first paint.
  }
}

export async function loadStatus(
  fetchStatus: () => Promise<Status>,
  storage: Pick<Storage, 'setItem'> | undefined,
): Promise<Status> {
  const status = await fetchStatus();
  writeCachedStatus(storage, status);
  return status;
}
