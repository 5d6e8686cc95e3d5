/** The auto-join switch. */
import { useState } from 'preact/hooks';

import { api } from '../api/client.ts';
import { ErrorNote, Loading } from '../ui/states.tsx';
import { useLoad } from '../ui/use-load.ts';

interface Settings {
  autoJoin: boolean;
}

export function Settings({ onChange }: { onChange: () => void }) {
  const settings = useLoad(() => api<Settings>('/v1/admin/settings'));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const toggle = async () => {
    if (!settings.data) return;
    setBusy(true);
    setError(undefined);
    try {
      await api<Settings>('/v1/admin/settings', {
        method: 'PUT',
        body: { autoJoin: !settings.data.autoJoin },
      });
      settings.reload();
      onChange();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Auto-join</h1>
      {settings.loading && !settings.data && <Loading what="settings" />}
      {settings.error !== undefined && (
        <ErrorNote error={settings.error} onRetry={settings.reload} />
      )}
      {error !== undefined && <ErrorNote error={error} />}
      {settings.data && (
        <div class="card">
          <button
            type="button"
            role="switch"
            class="switch"
            aria-checked={settings.data.autoJoin}
            aria-describedby="autojoin-help"
            disabled={busy}
            onClick={() => void toggle()}
          >
            <span class="switch-track" aria-hidden="true" />
            Auto-join with an app secret: {settings.data.autoJoin ? 'on' : 'off'}
          </button>
          <p id="autojoin-help" class="muted">
            On: a join request carrying a valid app secret makes the person a member at once. Off:
            every join request waits for your approval in Join requests, secret or not.
          </p>
        </div>
      )}
    </section>
  );
}
