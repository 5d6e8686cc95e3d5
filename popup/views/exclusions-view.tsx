/** Sites the member never wants counted (they and their subdomains); the list stays on the device. */
import { useState } from 'preact/hooks';

import { call } from '../client.ts';
import { AsyncView, ErrorNotice } from '../components/async-view.tsx';
import { cleanSiteInput } from '../lib/format.ts';
import { errorText, t } from '../lib/i18n.ts';
import { useAsync } from '../lib/use-async.ts';

export function ExclusionsView() {
  const { state, reload } = useAsync(() => call('listExclusions', {}));
  const [site, setSite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (task: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await task();
      reload();
      return true;
    } catch (caught) {
      setError(errorText(caught));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (event: Event) => {
    event.preventDefault();
    const cleaned = cleanSiteInput(site);
    if (!cleaned) return setError(t('exclusionInvalid'));
    if (await run(() => call('addExclusion', { site: cleaned }))) setSite('');
  };

  return (
    <section aria-labelledby="exclusions-title">
      <h2 id="exclusions-title">{t('exclusionsTitle')}</h2>
      <p class="muted small">{t('exclusionsIntro')}</p>
      <form class="row" onSubmit={(event) => void add(event)}>
        <label for="exclusion-site" class="visually-hidden">
          {t('exclusionSiteLabel')}
        </label>
        <input
          id="exclusion-site"
          class="grow"
          type="text"
          inputMode="url"
          autoComplete="off"
          placeholder={t('exclusionPlaceholder')}
          value={site}
          onInput={(event) => setSite(event.currentTarget.value)}
        />
        <button type="submit" disabled={busy}>
          {t('exclusionAdd')}
        </button>
      </form>
      {error && <ErrorNotice message={error} />}
      <AsyncView
        state={state}
        onRetry={reload}
        isEmpty={(value) => value.sites.length === 0}
        emptyText={t('exclusionsEmpty')}
      >
        {({ sites }) => (
          <ul class="plain list">
            {sites.map(({ site: excluded }) => (
              <li key={excluded} class="row">
                <span class="grow mono">{excluded}</span>
                <button
                  type="button"
                  class="small-button"
                  disabled={busy}
                  aria-label={t('exclusionRemoveLabel', excluded)}
                  onClick={() => void run(() => call('removeExclusion', { site: excluded }))}
                >
                  {t('exclusionRemove')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
    </section>
  );
}
