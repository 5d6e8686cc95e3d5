/**
 * Joining the union: with the app secret the build carries the union accepts at once; otherwise
 * the request waits for an admin's approval, checked every few seconds while this page is open.
 */
import { useEffect, useState } from 'preact/hooks';

import type { ResultOf } from '../../extension/protocol/messages.ts';
import { call } from '../client.ts';
import { ErrorNotice } from '../components/async-view.tsx';
import { errorText, t } from '../lib/i18n.ts';
import { JOIN_POLL_MS } from '../views/join-notice.tsx';

type Join = ResultOf<'joinState'>;

export function JoinStep({ initial, onJoined }: { initial: Join; onJoined: () => void }) {
  const [join, setJoin] = useState<Join>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (task: () => Promise<Join>) => {
    setBusy(true);
    setError(null);
    try {
      const next = await task();
      setJoin(next);
      if (next.lastError) setError(next.lastError.message);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (join.status === 'active') return onJoined();
    if (join.status !== 'pending') return;
    const timer = setInterval(() => void run(() => call('refreshJoin', {})), JOIN_POLL_MS);
    return () => clearInterval(timer);
  }, [join.status]);

  return (
    <div class="stack">
      <h1>{t('joinTitle')}</h1>
      <p>{t('joinIntro')}</p>
      {join.status === 'pending' ? (
        <div class="notice" role="status" data-testid="join-pending">
          <p>
            <strong>{t('joinWaitingTitle')}</strong>
          </p>
          <p>{t('joinPending')}</p>
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => call('refreshJoin', {}))}
          >
            {t('joinCheckNow')}
          </button>
        </div>
      ) : (
        <>
          {join.status === 'rejected' && <p role="alert">{t('joinRejected')}</p>}
          <button
            type="button"
            class="primary"
            disabled={busy}
            onClick={() => void run(() => call('join', {}))}
          >
            {busy ? t('joinWorking') : t('joinButton')}
          </button>
        </>
      )}
      {error && <ErrorNotice message={error} />}
    </div>
  );
}
