/**
 * Exports the member key as a password-encrypted keystore file. The encryption (scrypt) runs in the
 * service worker and takes a few seconds; the key itself never reaches this page.
 */
import { useEffect, useState } from 'preact/hooks';

import { call } from '../client.ts';
import { ErrorNotice } from '../components/async-view.tsx';
import {
  backupFileName,
  backupPasswordProblem,
  MIN_BACKUP_PASSWORD_LENGTH,
} from '../lib/format.ts';
import { errorText, t } from '../lib/i18n.ts';

type Phase =
  { kind: 'form' } | { kind: 'working' } | { kind: 'ready'; url: string; fileName: string };

export function BackupExport() {
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  const [error, setError] = useState<string | null>(null);
  const readyUrl = phase.kind === 'ready' ? phase.url : null;
  useEffect(() => () => void (readyUrl && URL.revokeObjectURL(readyUrl)), [readyUrl]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const problem = backupPasswordProblem(password, repeated);
    if (problem) return setError(t(problem, String(MIN_BACKUP_PASSWORD_LENGTH)));
    setError(null);
    setPhase({ kind: 'working' });
    try {
      const backup = await call('exportBackup', { password });
      const blob = new Blob([backup.keystore], { type: 'application/json' });
      setPassword('');
      setRepeated('');
      setPhase({
        kind: 'ready',
        url: URL.createObjectURL(blob),
        fileName: backupFileName(backup.address, Date.now()),
      });
    } catch (caught) {
      setError(errorText(caught));
      setPhase({ kind: 'form' });
    }
  };

  return (
    <form class="stack" onSubmit={(event) => void submit(event)} aria-labelledby="export-title">
      <h3 id="export-title">{t('backupExportTitle')}</h3>
      <p class="small muted">{t('backupExportIntro', String(MIN_BACKUP_PASSWORD_LENGTH))}</p>
      <label for="backup-password">{t('backupPassword')}</label>
      <input
        id="backup-password"
        type="password"
        autoComplete="new-password"
        value={password}
        onInput={(event) => setPassword(event.currentTarget.value)}
      />
      <label for="backup-password-repeat">{t('backupPasswordRepeat')}</label>
      <input
        id="backup-password-repeat"
        type="password"
        autoComplete="new-password"
        value={repeated}
        onInput={(event) => setRepeated(event.currentTarget.value)}
      />
      {error && <ErrorNotice message={error} />}
      <button type="submit" disabled={phase.kind === 'working'}>
        {phase.kind === 'working' ? t('backupWorking') : t('backupCreate')}
      </button>
      {phase.kind === 'working' && (
        <p role="status" class="small">
          <progress aria-label={t('backupWorking')} /> {t('backupWorkingHint')}
        </p>
      )}
      {phase.kind === 'ready' && (
        <p role="status">
          <a class="button" href={phase.url} download={phase.fileName}>
            {t('backupDownload')}
          </a>
        </p>
      )}
    </form>
  );
}
