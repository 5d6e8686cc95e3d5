/** The first-run page: disclosure and consent, then joining, then where to choose categories. */
import { useEffect, useState } from 'preact/hooks';

import type { ResultOf } from '../../extension/protocol/messages.ts';
import { call } from '../client.ts';
import { ErrorNotice } from '../components/async-view.tsx';
import { CategoriesView } from '../views/categories-view.tsx';
import { errorText, t } from '../lib/i18n.ts';
import { ConsentStep } from './consent-step.tsx';
import { JoinStep } from './join-step.tsx';

type Join = ResultOf<'joinState'>;

type Step =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'consent' }
  | { kind: 'declined' }
  | { kind: 'join'; join: Join }
  | { kind: 'done' };

export function OnboardingApp() {
  const [step, setStep] = useState<Step>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const start = () => {
    setStep({ kind: 'loading' });
    call('status', {})
      .then((status) => {
        if (status.consentGivenAt === null) return setStep({ kind: 'consent' });
        setStep(
          status.join.status === 'active' ? { kind: 'done' } : { kind: 'join', join: status.join },
        );
      })
      .catch((caught: unknown) => setStep({ kind: 'failed', message: errorText(caught) }));
  };
  useEffect(start, []);

  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      await call('giveConsent', {});
      // Fetch the categories now, so the popup can list them; a failure here is retried later.
      await call('refreshConfig', {}).catch(() => undefined);
      setStep({ kind: 'join', join: await call('joinState', {}) });
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="onboarding" aria-live="polite">
      {step.kind === 'loading' && <p role="status">{t('loading')}</p>}
      {step.kind === 'failed' && <ErrorNotice message={step.message} onRetry={start} />}
      {step.kind === 'consent' && (
        <ConsentStep
          busy={busy}
          error={error}
          onAccept={() => void accept()}
          onDecline={() => setStep({ kind: 'declined' })}
        />
      )}
      {step.kind === 'declined' && (
        <div class="stack" data-testid="declined">
          <h1>{t('declinedTitle')}</h1>
          <p>{t('declinedBody')}</p>
          <div class="row">
            <button type="button" onClick={() => window.close()}>
              {t('closeTab')}
            </button>
            <button type="button" onClick={() => setStep({ kind: 'consent' })}>
              {t('declinedReconsider')}
            </button>
          </div>
        </div>
      )}
      {step.kind === 'join' && (
        <JoinStep initial={step.join} onJoined={() => setStep({ kind: 'done' })} />
      )}
      {step.kind === 'done' && (
        <div class="stack" data-testid="onboarding-done">
          <h1>{t('doneTitle')}</h1>
          <p>{t('doneBody')}</p>
          <CategoriesView onChanged={() => undefined} />
          <p>{t('doneNextStep')}</p>
          <button type="button" onClick={() => window.close()}>
            {t('closeTab')}
          </button>
        </div>
      )}
    </main>
  );
}
