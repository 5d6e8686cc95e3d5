/** App secrets: create (the secret is shown once), list with uses and expiry, revoke. */
import { useState } from 'preact/hooks';

import { api } from '../api/client.ts';
import type { AppSecret } from '../api/types.ts';
import { ConfirmButton } from '../ui/confirm.tsx';
import { Empty, ErrorNote, Loading } from '../ui/states.tsx';
import { useLoad } from '../ui/use-load.ts';
import { When } from '../ui/when.tsx';

function secretState(s: AppSecret, nowMs: number): string {
  if (s.revokedAt) return 'revoked';
  if (s.expiresAt && Date.parse(s.expiresAt) <= nowMs) return 'expired';
  if (s.maxUses !== null && s.uses >= s.maxUses) return 'used up';
  return 'usable';
}

export function Secrets() {
  const list = useLoad(() => api<{ secrets: AppSecret[] }>('/v1/admin/secrets'));
  const [label, setLabel] = useState('');
  const [maxUses, setMaxUses] = useState('');
  const [expires, setExpires] = useState('');
  const [created, setCreated] = useState<(AppSecret & { secret: string }) | null>(null);
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  const create = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setCopied(false);
    try {
      const body = {
        label: label.trim(),
        maxUses: maxUses ? Number(maxUses) : null,
        expiresAt: expires ? new Date(expires).toISOString() : null,
      };
      setCreated(
        await api<AppSecret & { secret: string }>('/v1/admin/secrets', { method: 'POST', body }),
      );
      setLabel('');
      setMaxUses('');
      setExpires('');
      list.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.secret);
      setCopied(true);
    } catch {
      setError(
        new Error('The browser refused clipboard access; select the secret and copy it by hand.'),
      );
    }
  };

  const now = Date.now();
  return (
    <section aria-labelledby="secrets-title">
      <h1 id="secrets-title">App secrets</h1>
      <p class="muted">
        An app secret lets people join at once (while auto-join is on) instead of waiting for
        approval. Give it to a partner app; revoke it when it leaks.
      </p>
      <form class="card form-row" onSubmit={(e) => void create(e)} aria-labelledby="new-secret">
        <h2 id="new-secret">New secret</h2>
        <label>
          Label
          <input value={label} maxLength={100} onInput={(e) => setLabel(e.currentTarget.value)} />
        </label>
        <label>
          Use limit (optional)
          <input
            type="number"
            min={1}
            step={1}
            value={maxUses}
            onInput={(e) => setMaxUses(e.currentTarget.value)}
          />
        </label>
        <label>
          Expires (optional)
          <input
            type="datetime-local"
            value={expires}
            onInput={(e) => setExpires(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create secret'}
        </button>
      </form>
      {error !== undefined && <ErrorNote error={error} />}
      {created && (
        <div class="card secret-once" role="status">
          <h2>Secret created — copy it now</h2>
          <p>This is the only time it is shown; the union keeps only its hash.</p>
          <div class="copy-row">
            <input
              readOnly
              aria-label="The new app secret"
              class="mono"
              value={created.secret}
              data-testid="new-secret"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" onClick={() => void copy()}>
              {copied ? 'Copied' : 'Copy'}
            </button>
            <button type="button" onClick={() => setCreated(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      {list.loading && !list.data && <Loading what="app secrets" />}
      {list.error !== undefined && <ErrorNote error={list.error} onRetry={list.reload} />}
      {list.data && list.data.secrets.length === 0 && <Empty>No app secrets yet.</Empty>}
      {list.data && list.data.secrets.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">App secrets</caption>
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Id</th>
                <th scope="col">Uses</th>
                <th scope="col">Expires</th>
                <th scope="col">Created</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.data.secrets.map((s) => {
                const state = secretState(s, now);
                return (
                  <tr key={s.id} data-testid={`secret-${s.id}`}>
                    <td>{s.label || <span class="muted">—</span>}</td>
                    <td class="mono">{s.id}</td>
                    <td>
                      {s.uses}
                      {s.maxUses !== null ? ` / ${s.maxUses}` : ''}
                    </td>
                    <td>{s.expiresAt ? <When iso={s.expiresAt} /> : 'never'}</td>
                    <td>
                      <When iso={s.createdAt} />
                    </td>
                    <td data-testid="secret-state">{state}</td>
                    <td class="actions">
                      {!s.revokedAt && (
                        <ConfirmButton
                          label="Revoke"
                          confirmLabel="Yes, revoke"
                          question={`Revoke ${s.label || s.id}? Joins with it will wait for approval.`}
                          onConfirm={async () => {
                            setError(undefined);
                            try {
                              await api(`/v1/admin/secrets/${s.id}`, { method: 'DELETE' });
                            } catch (failure) {
                              setError(failure);
                            }
                            list.reload();
                          }}
                        />
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
