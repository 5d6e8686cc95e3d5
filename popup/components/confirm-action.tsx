/** A destructive action behind a second, explained confirmation step. */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

import { errorText, t } from '../lib/i18n.ts';
import { ErrorNotice } from './async-view.tsx';

interface Props {
  id: string;
  title: string;
  buttonLabel: string;
  confirmLabel: string;
  explanation: ComponentChildren;
  action: () => Promise<unknown>;
  onDone: () => void;
}

export function ConfirmAction(props: Props) {
  const { id, title, buttonLabel, confirmLabel, explanation, action, onDone } = props;
  const [asking, setAsking] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    setWorking(true);
    setError(null);
    try {
      await action();
      setAsking(false);
      onDone();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setWorking(false);
    }
  };

  return (
    <div class="stack" aria-labelledby={`${id}-title`} role="group">
      <h3 id={`${id}-title`}>{title}</h3>
      {!asking ? (
        <button type="button" class="danger" onClick={() => setAsking(true)}>
          {buttonLabel}
        </button>
      ) : (
        <div class="notice warning">
          {explanation}
          <div class="row">
            <button type="button" class="danger" disabled={working} onClick={() => void confirm()}>
              {confirmLabel}
            </button>
            <button type="button" disabled={working} onClick={() => setAsking(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      )}
      {error && <ErrorNotice message={error} />}
    </div>
  );
}
