/**
 * Earnings from the union's member API and the withdraw form; when the union shares no revenue (or
 * cannot be reached), a clear placeholder.
 */
import { formatAmount } from '../../extension/protocol/amounts.ts';
import { call } from '../client.ts';
import { AsyncView } from '../components/async-view.tsx';
import { formatDateTime } from '../lib/format.ts';
import { t, type MessageKey } from '../lib/i18n.ts';
import { useAsync } from '../lib/use-async.ts';
import { WithdrawForm } from './withdraw-form.tsx';

const rows: readonly {
  field: 'total' | 'withdrawable' | 'pending' | 'withdrawn';
  label: MessageKey;
}[] = [
  { field: 'total', label: 'earningsTotal' },
  { field: 'withdrawable', label: 'earningsWithdrawable' },
  { field: 'pending', label: 'earningsPending' },
  { field: 'withdrawn', label: 'earningsWithdrawn' },
];

export function EarningsView() {
  const { state, reload } = useAsync(() => call('earnings', {}));
  return (
    <section aria-labelledby="earnings-title">
      <h2 id="earnings-title">{t('earningsTitle')}</h2>
      <AsyncView state={state} onRetry={reload}>
        {(earnings) =>
          earnings.state === 'unavailable' ? (
            <div class="notice" data-testid="earnings-placeholder">
              <p>{t('earningsPlaceholder')}</p>
              <p class="small muted">{earnings.message}</p>
            </div>
          ) : (
            <>
              <dl class="facts" data-testid="earnings-facts">
                {rows.map(({ field, label }) => (
                  <div key={field}>
                    <dt>{t(label)}</dt>
                    <dd>{formatAmount(earnings[field], earnings.token)}</dd>
                  </div>
                ))}
              </dl>
              {earnings.pendingUsableAt !== null && (
                <p class="small muted">
                  {t('earningsPendingUsableAt', formatDateTime(earnings.pendingUsableAt))}
                </p>
              )}
              <WithdrawForm
                withdrawable={earnings.withdrawable}
                minWithdrawal={earnings.minWithdrawal}
                token={earnings.token}
                onFinished={reload}
              />
            </>
          )
        }
      </AsyncView>
    </section>
  );
}
