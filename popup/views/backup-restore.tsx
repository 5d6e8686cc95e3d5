/** Restores the member key from a backup file and its password: same identity, same earnings. */
import { useState } from 'preact/hooks';

import { call } from '../client.ts';
import { ErrorNotice } from '../components/async-view.tsx';
import { errorText, t } from '../lib/i18n.ts';

export function BackupRestore({ onRestored }: { onRestored: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [restored, setRestored] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!file) return setError(t('restoreNoFile'));
    if (password === '') return setError(t('restoreNoPassword'));
    setError(null);
    setWorking(true);
    try {
      const keystore = await file.text();
      const result = await call('importBackup', { keystore, password });
      setPassword('');
      setRestored(result.address);
      onRestored();
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setWorking(false);
    }
  };

  return (
    <form class="stack" onSubmit={(event) => void submit(event)} aria-labelledby="restore-title">
      <h3 id="restore-title">{t('restoreTitle')}</h3>
      <p class="small muted">{t('restoreIntro')}</p>
      <label for="restore-file">{t('restoreFile')}</label>
      <input
        id="restore-file"
        type="file"
        accept=".json,application/json"
        onChange={(event) => setFile(event.currentTarget.files?.[0] ?? null)}
      />
      <label for="restore-password">{t('restorePassword')}</label>
      <input
        id="restore-password"
        type="password"
        autoComplete="current-password"
        value={password}
        onInput={(event) => setPassword(event.currentTarget.value)}
      />
      {error && <ErrorNotice message={error} />}
      <button type="submit" disabled={working}>
        {working ? t('restoreWorking') : t('restoreButton')}
      </button>
      {working && <progress aria-label={t('restoreWorking')} />}
      {restored && (
        <p role="status" data-testid="restored-address">
          {t('restoreDone', restored)}
        </p>
      )}
    </form>
  );
}
