import { useEffect, useState } from 'preact/hooks';

import type { ResultOf } from '../extension/protocol/messages.ts';
import { call } from './client.ts';

type Status = ResultOf<'status'>;

type View =
  { kind: 'loading' } | { kind: 'ready'; status: Status } | { kind: 'error'; message: string };

export function App() {
  const [view, setView] = useState<View>({ kind: 'loading' });

  useEffect(() => {
    call('status', {})
      .then((status) => setView({ kind: 'ready', status }))
      .catch((error: unknown) =>
        setView({
          kind: 'error',
          message: error instanceof Error ? error.message : 'Crowdsell could not start.',
        }),
      );
  }, []);

  return (
    <main aria-live="polite">
      <h1>Crowdsell</h1>
      {view.kind === 'loading' && <p role="status">Starting…</p>}
      {view.kind === 'error' && <p role="alert">{view.message}</p>}
      {view.kind === 'ready' && (
        <p data-testid="status">
          Version {view.status.version} · {view.status.ready ? 'ready' : 'starting'}
        </p>
      )}
    </main>
  );
}
