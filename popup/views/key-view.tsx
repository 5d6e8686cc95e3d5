/** The member key: address to copy, backup and restore, leave the union, delete all local data. */
import { useState } from 'preact/hooks';

import { call } from '../client.ts';
import { AsyncView } from '../components/async-view.tsx';
import { ConfirmAction } from '../components/confirm-action.tsx';
import { t } from '../lib/i18n.ts';
import { useAsync } from '../lib/use-async.ts';
import { BackupExport } from './backup-export.tsx';
import { BackupRestore } from './backup-restore.tsx';

export function KeyView({ onChanged }: { onChanged: () => void }) {
  const { state, reload } = useAsync(() => call('keyAddress', {}));
  const [copied, setCopied] = useState(false);
  const changed = () => {
    reload();
    onChanged();
  };

  return (
    <section aria-labelledby="key-title" class="stack">
      <h2 id="key-title">{t('keyTitle')}</h2>
      <AsyncView state={state} onRetry={reload}>
        {({ address }) => (
          <div class="stack">
            <label for="member-address">{t('keyAddress')}</label>
            <div class="row">
              <input
                id="member-address"
                class="grow mono"
                readOnly
                value={address}
                data-testid="member-address"
              />
              <button
                type="button"
                onClick={() =>
                  void navigator.clipboard.writeText(address).then(() => setCopied(true))
                }
              >
                {copied ? t('keyCopied') : t('keyCopy')}
              </button>
            </div>
            <p class="small muted">{t('keyAddressHint')}</p>
          </div>
        )}
      </AsyncView>
      <BackupExport />
      <BackupRestore onRestored={changed} />
      <ConfirmAction
        id="leave"
        title={t('leaveTitle')}
        buttonLabel={t('leaveButton')}
        confirmLabel={t('leaveConfirm')}
        explanation={<p>{t('leaveExplanation')}</p>}
        action={() => call('leave', {})}
        onDone={changed}
      />
      <ConfirmAction
        id="delete"
        title={t('deleteTitle')}
        buttonLabel={t('deleteButton')}
        confirmLabel={t('deleteConfirm')}
        explanation={
          <>
            <p>{t('deleteExplanation')}</p>
            <p>
              <strong>{t('deleteEarningsSafe')}</strong>
            </p>
          </>
        }
        action={() => call('deleteAllData', { confirm: true })}
        onDone={changed}
      />
    </section>
  );
}
