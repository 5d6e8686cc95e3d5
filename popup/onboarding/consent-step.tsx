/**
 * Explicit, affirmative consent: an unticked box and two equal buttons. Declining records nothing.
 */
import { useState } from 'preact/hooks';

import { ErrorNotice } from '../components/async-view.tsx';
import { t } from '../lib/i18n.ts';
import { Disclosure } from './disclosure.tsx';

interface Props {
  busy: boolean;
  error: string | null;
  onAccept: () => void;
  onDecline: () => void;
}

export function ConsentStep({ busy, error, onAccept, onDecline }: Props) {
  const [agreed, setAgreed] = useState(false);
  const [missing, setMissing] = useState(false);
  return (
    <div class="stack">
      <h1>{t('onboardingTitle')}</h1>
      <p class="lead">{t('onboardingLead')}</p>
      <Disclosure />
      <form
        class="stack consent"
        onSubmit={(event) => {
          event.preventDefault();
          if (!agreed) return setMissing(true);
          onAccept();
        }}
      >
        <label class="row check">
          <input
            type="checkbox"
            checked={agreed}
            aria-describedby={missing ? 'consent-missing' : undefined}
            onChange={(event) => {
              setAgreed(event.currentTarget.checked);
              setMissing(false);
            }}
          />
          <span>{t('consentCheckbox')}</span>
        </label>
        {missing && (
          <p id="consent-missing" role="alert" class="error-text">
            {t('consentMissing')}
          </p>
        )}
        {error && <ErrorNotice message={error} />}
        <div class="row choices">
          <button type="submit" disabled={busy}>
            {t('consentAccept')}
          </button>
          <button type="button" disabled={busy} onClick={onDecline}>
            {t('consentDecline')}
          </button>
        </div>
      </form>
    </div>
  );
}
