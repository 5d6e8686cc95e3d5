/**
 * Membership that is not active yet: join, or "waiting for approval" with a periodic check while
 * this page is open.
 */
import { useEffect, useState } from 'preact/hooks';

import type { ResultOf } from '../../extension/protocol/messages.ts';
import { call } from '../client.ts';
import { ErrorNotice } from '../components/async-view.tsx';
import { errorText, t, type MessageKey } from '../lib/i18n.ts';

type Join = ResultOf<'joinState'>;

export const JOIN_POLL_MS = 5_000;

const statusKey: Record<Join['status'], MessageKey> = {
  'not-joined': 'joinNotJoined',
  pending: 'joinPending',
  active: 'joinActive',
  left: 'joinLeft',
  removed: 'joinRemoved',
  rejected: 'joinRejected',
};

export function JoinNotice({ join, onChanged }: { join: Join; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(join.lastError?.message ?? null);

  const run = async (task: () => Promise<Join>) => {
    setBusy(true);
    try {
      const next = await task();
      setError(next.lastError?.message ?? null);
      onChanged();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (join.status !== 'pending') return;
    const timer = setInterval(() => void run(() => call('refreshJoin', {})), JOIN_POLL_MS);
    return () => clearInterval(timer);
    // Re-arm only when the status changes.
  }, [join.status]);

  const canJoin = join.status === 'not-joined' || join.status === 'left';
  return (
    <div class="notice" role="status" data-testid="join-state">
      <p>{t(statusKey[join.status])}</p>
      <div class="row">
        {canJoin && (
          <button type="button" disabled={busy} onClick={() => void run(() => call('join', {}))}>
            {t('joinButton')}
          </button>
        )}
        {join.status === 'pending' && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => call('refreshJoin', {}))}
          >
            {t('joinCheckNow')}
          </button>
        )}
      </div>
      {error && <ErrorNotice message={error} />}
    </div>
  );
}
