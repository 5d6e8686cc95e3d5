/** Members: search by address, filter by status, remove with a confirmation. */
import { useState } from 'preact/hooks';

import { listMembers, memberAction } from '../api/admin.ts';
import { memberStatusList, type MemberStatus } from '../api/types.ts';
import { ConfirmButton } from '../ui/confirm.tsx';
import { Empty, ErrorNote, Loading } from '../ui/states.tsx';
import { useLoad } from '../ui/use-load.ts';
import { When } from '../ui/when.tsx';

export function Members() {
  const members = useLoad(() => listMembers());
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<MemberStatus | ''>('');
  const [error, setError] = useState<unknown>(undefined);

  const q = query.trim().toLowerCase();
  const rows = (members.data ?? []).filter(
    (m) => (!q || m.address.includes(q)) && (!status || m.status === status),
  );

  return (
    <section aria-labelledby="members-title">
      <h1 id="members-title">Members</h1>
      <div class="toolbar" role="search">
        <label>
          Search address
          <input
            type="search"
            value={query}
            placeholder="0x…"
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
        </label>
        <label>
          Status
          <select
            value={status}
            onChange={(e) => setStatus(e.currentTarget.value as MemberStatus | '')}
          >
            <option value="">any</option>
            {memberStatusList.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error !== undefined && <ErrorNote error={error} />}
      {members.loading && !members.data && <Loading what="members" />}
      {members.error !== undefined && <ErrorNote error={members.error} onRetry={members.reload} />}
      {members.data && rows.length === 0 && <Empty>No members match.</Empty>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Members</caption>
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">Status</th>
                <th scope="col">Joined</th>
                <th scope="col">Last report</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((m) => (
                <tr key={m.address} data-testid={`member-${m.address}`}>
                  <td class="mono">{m.address}</td>
                  <td>
                    <span class={`badge badge-${m.status}`}>{m.status}</span>
                  </td>
                  <td>
                    <When iso={m.joinedAt} />
                  </td>
                  <td>
                    <When iso={m.lastReportAt} />
                  </td>
                  <td class="actions">
                    {(m.status === 'active' || m.status === 'pending') && (
                      <ConfirmButton
                        label="Remove"
                        confirmLabel="Yes, remove"
                        question={`Remove ${m.address}? They stop earning from the next commit.`}
                        onConfirm={async () => {
                          setError(undefined);
                          try {
                            await memberAction(m.address, 'remove');
                          } catch (failure) {
                            setError(failure);
                          }
                          members.reload();
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
