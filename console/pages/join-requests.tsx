/** Pending join requests: approve or reject one, or the selected ones in bulk. */
import { useState } from 'preact/hooks';

import { listMembers, memberAction } from '../api/admin.ts';
import { Empty, ErrorNote, Loading } from '../ui/states.tsx';
import { useLoad } from '../ui/use-load.ts';
import { When } from '../ui/when.tsx';

export function JoinRequests() {
  const pending = useLoad(() => listMembers('pending'));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [notice, setNotice] = useState('');

  const act = async (addresses: string[], action: 'approve' | 'reject') => {
    setBusy(true);
    setError(undefined);
    let done = 0;
    try {
      for (const address of addresses) {
        await memberAction(address, action);
        done++;
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setNotice(
        `${action === 'approve' ? 'Approved' : 'Rejected'} ${done} of ${addresses.length}.`,
      );
      setSelected(new Set());
      setBusy(false);
      pending.reload();
    }
  };

  const rows = pending.data ?? [];
  const allSelected = rows.length > 0 && rows.every((m) => selected.has(m.address));
  const toggle = (address: string) => {
    const next = new Set(selected);
    if (next.has(address)) next.delete(address);
    else next.add(address);
    setSelected(next);
  };

  return (
    <section aria-labelledby="requests-title">
      <h1 id="requests-title">Join requests</h1>
      <p role="status" class="notice">
        {notice}
      </p>
      {error !== undefined && <ErrorNote error={error} />}
      {pending.loading && !pending.data && <Loading what="join requests" />}
      {pending.error !== undefined && <ErrorNote error={pending.error} onRetry={pending.reload} />}
      {pending.data && rows.length === 0 && <Empty>No pending join requests.</Empty>}
      {rows.length > 0 && (
        <>
          <div class="toolbar">
            <button
              type="button"
              class="primary"
              disabled={busy || selected.size === 0}
              onClick={() => void act([...selected], 'approve')}
            >
              Approve selected ({selected.size})
            </button>
            <button
              type="button"
              disabled={busy || selected.size === 0}
              onClick={() => void act([...selected], 'reject')}
            >
              Reject selected
            </button>
          </div>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Pending join requests</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label="Select all requests"
                      checked={allSelected}
                      onChange={() =>
                        setSelected(allSelected ? new Set() : new Set(rows.map((m) => m.address)))
                      }
                    />
                  </th>
                  <th scope="col">Address</th>
                  <th scope="col">Requested</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((m) => (
                  <tr key={m.address} data-testid={`request-${m.address}`}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Select ${m.address}`}
                        checked={selected.has(m.address)}
                        onChange={() => toggle(m.address)}
                      />
                    </td>
                    <td class="mono">{m.address}</td>
                    <td>
                      <When iso={m.requestedAt} />
                    </td>
                    <td class="actions">
                      <button
                        type="button"
                        class="primary"
                        disabled={busy}
                        aria-label={`Approve ${m.address}`}
                        onClick={() => void act([m.address], 'approve')}
                      >
                        Approve
                      </button>
                      <button
                        type="button"
                        disabled={busy}
                        aria-label={`Reject ${m.address}`}
                        onClick={() => void act([m.address], 'reject')}
                      >
                        Reject
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
