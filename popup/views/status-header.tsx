/** At a glance: is Crowdsell recording, is membership pending, and pause / resume. */
import type { ResultOf } from '../../extension/protocol/messages.ts';
import { t, type MessageKey } from '../lib/i18n.ts';
import { JoinNotice } from './join-notice.tsx';
import { PausePanel } from './pause-panel.tsx';

type Status = ResultOf<'status'>;

function stateKey(status: Status): MessageKey {
  if (status.paused) return 'statePaused';
  if (status.recording) return 'stateRecording';
  if (status.enabledCategories === 0) return 'stateNoCategories';
  return 'stateNotRecording';
}

export function StatusHeader({ status, onChanged }: { status: Status; onChanged: () => void }) {
  return (
    <header class="stack">
      <div class="row">
        <h1 class="grow">{t('extensionName')}</h1>
        <span class={`pill ${status.recording ? 'on' : 'off'}`} data-testid="recording-state">
          {t(stateKey(status))}
        </span>
      </div>
      {status.join.status !== 'active' && <JoinNotice join={status.join} onChanged={onChanged} />}
      <PausePanel paused={status.paused} onChanged={onChanged} />
    </header>
  );
}
