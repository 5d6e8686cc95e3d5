/** Pause recording for an hour, until tomorrow (local midnight) or until resumed; or resume. */
import { useState } from 'preact/hooks';

import type { ResultOf } from '../../extension/protocol/messages.ts';
import { call } from '../client.ts';
import { ErrorNotice } from '../components/async-view.tsx';
import { formatDateTime } from '../lib/format.ts';
import { errorText, t } from '../lib/i18n.ts';

type Pause = ResultOf<'status'>['paused'];
type Choice = 'hour' | 'tomorrow' | 'indefinitely';

const choices: readonly {
  choice: Choice;
  label: 'pauseHour' | 'pauseTomorrow' | 'pauseIndefinitely';
}[] = [
  { choice: 'hour', label: 'pauseHour' },
  { choice: 'tomorrow', label: 'pauseTomorrow' },
  { choice: 'indefinitely', label: 'pauseIndefinitely' },
];

export function PausePanel({ paused, onChanged }: { paused: Pause; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (task: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
      onChanged();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="pause" role="group" aria-label={t('pauseGroup')}>
      {paused ? (
        <div class="row">
          <p class="grow" data-testid="pause-state">
            {paused.until === null
              ? t('pausedIndefinitely')
              : t('pausedUntil', formatDateTime(paused.until))}
          </p>
          <button type="button" disabled={busy} onClick={() => void run(() => call('resume', {}))}>
            {t('resume')}
          </button>
        </div>
      ) : (
        <div class="row wrap">
          <span class="grow">{t('pauseLabel')}</span>
          {choices.map(({ choice, label }) => (
            <button
              key={choice}
              type="button"
              class="small-button"
              disabled={busy}
              onClick={() =>
                void run(() =>
                  call('pause', {
                    choice,
                    timezoneOffsetMinutes: new Date().getTimezoneOffset(),
                  }),
                )
              }
            >
              {t(label)}
            </button>
          ))}
        </div>
      )}
      {error && <ErrorNotice message={error} />}
    </div>
  );
}
