/**
 * The popup paints its main view from the last status it saw (kept in this page's localStorage,
 * which only our own extension pages can read) and refreshes it from the service worker at once —
 * so opening the popup does not wait for a sleeping service worker to wake up. The cache holds
 * only what the popup displays (never key material) and is validated before use.
 */
import { protocol, type ResultOf } from '../../extension/protocol/messages.ts';

const KEY = 'crowdsell.popup.status';

export type Status = ResultOf<'status'>;

export function readCachedStatus(
  storage: Pick<Storage, 'getItem'> | undefined,
): Status | undefined {
  try {
    const text = storage?.getItem(KEY);
    if (!text) return undefined;
    const parsed = protocol.status.result.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
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
