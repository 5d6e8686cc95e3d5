/**
 * The latest root's freeze status, the next commit, and — while the root is frozen — the admin's
 * escape hatch: revoke it from the admin wallet before it becomes usable.
 */
import { useState } from 'preact/hooks';

import type { AdminStats, CommitView } from '../api/stats.ts';
import { ConfirmButton } from '../ui/confirm.tsx';
import { ErrorNote } from '../ui/states.tsx';
import { formatRelative } from '../ui/time.ts';
import { TxProgress } from '../ui/tx-step.tsx';
import { shortAddress, When } from '../ui/when.tsx';
import type { ConnectedWallet } from '../wallet/wallet.ts';
import { NextCommit } from './figures.tsx';
import { revokeRoot, type RevokeProgress } from './revoke-root.ts';

function RootState({ root }: { root: CommitView }) {
  const now = Math.floor(Date.now() / 1000);
  const usableAt = root.usableAt ? Math.floor(Date.parse(root.usableAt) / 1000) : null;
  switch (root.state) {
    case 'frozen':
      return (
        <>
          <strong>frozen</strong> until <When iso={root.usableAt} />
          {usableAt !== null && <span class="muted"> ({formatRelative(usableAt, now)})</span>}
        </>
      );
    case 'usable':
      return (
        <>
          <strong>usable</strong> since <When iso={root.usableAt} />
        </>
      );
    case 'revoked':
      return <strong class="warn">revoked</strong>;
    case 'pending':
      return <strong>commit transaction pending</strong>;
    case 'failed':
      return <strong class="warn">commit failed</strong>;
    default:
      return (
        <>
          <strong>committed</strong> <span class="muted">(freeze state unknown: no chain)</span>
        </>
      );
  }
}

export interface RootPanelProps {
  stats: AdminStats;
  wallet: ConnectedWallet;
  dataUnion: string;
  onRevoked: () => void;
}

export function RootPanel({ stats, wallet, dataUnion, onRevoked }: RootPanelProps) {
  const [progress, setProgress] = useState<RevokeProgress | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const root = stats.latestRoot;

  const revoke = async (block: number) => {
    setError(undefined);
    setProgress(null);
    try {
      await revokeRoot(wallet, dataUnion, block, setProgress);
      onRevoked();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <>
      <dl class="facts-list">
        <div>
          <dt>Latest root</dt>
          <dd data-testid="root-state">
            {root ? (
              <>
                block {root.blockNumber}{' '}
                <span class="mono muted" title={root.root}>
                  {shortAddress(root.root)}
                </span>{' '}
                — <RootState root={root} />
              </>
            ) : (
              <span class="muted">no root committed yet</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Next commit</dt>
          <dd>
            <NextCommit stats={stats} />
          </dd>
        </div>
      </dl>
      {root?.state === 'frozen' && (
        <div class="revoke" data-testid="revoke-root">
          <ConfirmButton
            label="Revoke root"
            confirmLabel="Yes, revoke it"
            question={
              `Revoke the root of block ${root.blockNumber}? It can then never be used for ` +
              'withdrawals: members keep withdrawing against the previous usable root, and ' +
              'their newer earnings wait for the next commit, which happens only after the ' +
              'books change again. Do this only if the validator or you found the root wrong. ' +
              'Your wallet sends the transaction and pays its gas.'
            }
            onConfirm={() => revoke(root.blockNumber)}
          />
        </div>
      )}
      {progress && (
        <TxProgress
          label="Revoke transaction"
          steps={[
            {
              testId: 'tx-revoke',
              label: 'Revoke root',
              stage: progress.stage,
              hash: progress.hash,
            },
          ]}
        />
      )}
      {error !== undefined && <ErrorNote error={error} />}
    </>
  );
}
